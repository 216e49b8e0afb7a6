package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store"
)

// retryAfterSeconds is what a 503 tells the client to wait: a database
// restart or fail-over usually takes a few seconds.
const retryAfterSeconds = 5

// unavailable reports whether err means a dependency is down or too slow
// rather than a fault of the request or of the code: the database could
// not be reached or did not answer in time, or Echo's ContextTimeout gave
// up on the request (its 503).
func unavailable(err error) bool {
	var he *echo.HTTPError
	if errors.As(err, &he) {
		return he.Code == http.StatusServiceUnavailable
	}
	return store.IsUnavailable(err)
}

// unavailableBody answers 503 unavailable with Retry-After. The cause is
// logged as a warning (the outage, not a bug); the client reads only that
// it may retry.
func (s *Server) unavailableBody(c echo.Context, err error) (int, ErrorBody) {
	s.log.WarnContext(c.Request().Context(), "dependency unavailable",
		slog.String("request_id", requestID(c)), slog.String("error", err.Error()))
	c.Response().Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
	return http.StatusServiceUnavailable, ErrorBody{ErrorDetail{
		Code:    domain.EUNAVAILABLE,
		Message: "Hệ thống tạm thời không truy cập được cơ sở dữ liệu, vui lòng thử lại sau ít giây",
	}}
}

// sessionError is scs's ErrorFunc: a session that cannot be loaded or
// saved (the sessions live in the database) gets the server's own error
// answer — 503 with Retry-After when the database is down — instead of
// scs's bare 500.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	s.handleError(err, s.Echo.NewContext(r, w))
}
