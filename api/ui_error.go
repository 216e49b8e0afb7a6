package api

import (
	"bytes"
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
)

type errorView struct {
	web.Page
	Status  int
	Heading string
	Explain string
	// Message is the service's own explanation of a 4xx error; never
	// shown for a 5xx, whose cause is only in the log.
	Message string
}

// errorPage renders the friendly error page of the browser: what happened
// in plain words, what to do, and the request id to quote to support.
func (s *Server) errorPage(c echo.Context, status int, err error, message string) {
	key := strconv.Itoa(status)
	switch status {
	case http.StatusForbidden, http.StatusNotFound, http.StatusServiceUnavailable:
	case http.StatusMethodNotAllowed:
		status, key = http.StatusNotFound, "404"
	default:
		if status >= 500 {
			key = "500"
		} else {
			key = "other"
		}
	}
	v := errorView{Page: s.page(c), Status: status, Heading: s.t(c, "error.title."+key), Explain: s.t(c, "error.explain."+key)}
	switch {
	case errors.Is(err, errCSRF):
		v.Message = s.t(c, "error.csrf")
	case status < 500 && status != http.StatusNotFound:
		v.Message = message
	}
	var buf bytes.Buffer
	if rerr := s.web.Render(&buf, s.lang(c), "error", v); rerr != nil {
		s.logInternal(c, rerr)
		c.String(status, http.StatusText(status)+" — "+requestID(c))
		return
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.HTMLBlob(status, buf.Bytes())
}
