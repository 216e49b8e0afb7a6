package api

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Body limits by route. Sign-in takes a few hundred bytes, so anonymous
// callers can make the server buffer no more than loginBodyLimit; JSON and
// forms get Options.FormBodyLimit; only the routes that receive files get
// Options.BodyLimit, and their files go to temporary files on disk past
// uploadMemory instead of staying in memory.
const (
	loginBodyLimit = "4K"
	uploadMemory   = 256 << 10
	// DefaultBodyReadTimeout bounds the reading of a body other than an
	// upload: 1 MB at about 0.6 Mbit/s.
	DefaultBodyReadTimeout = 15 * time.Second
)

// uploadRoutes are the route patterns that receive a file.
var uploadRoutes = map[string]bool{
	"/api/v1/attachments":    true,
	"/api/v1/units/import":   true,
	"/tasks/:id/attachments": true,
	"/tasks/:id/notes":       true,
}

// loginRoutes are the anonymous sign-in routes.
var loginRoutes = map[string]bool{"/api/v1/auth/login": true, "/login": true}

// bodyLimit picks the limit of the matched route (Use middleware runs after
// routing, so c.Path() is the route pattern) and, on upload routes, parses
// a multipart body with a small memory budget so that the files are
// streamed to disk.
func (s *Server) bodyLimit() echo.MiddlewareFunc {
	login := middleware.BodyLimit(loginBodyLimit)
	form := middleware.BodyLimit(s.opts.FormBodyLimit)
	upload := middleware.BodyLimit(s.opts.BodyLimit)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		streamed := upload(func(c echo.Context) error {
			mt, _, _ := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
			if strings.HasPrefix(mt, "multipart/") {
				err := c.Request().ParseMultipartForm(uploadMemory)
				if errors.Is(err, echo.ErrStatusRequestEntityTooLarge) || err != nil && strings.Contains(err.Error(), "request body too large") {
					return echo.ErrStatusRequestEntityTooLarge
				}
				// Any other error is the handler's to word (it meets the
				// same error when it reads the form).
			}
			return next(c)
		})
		byLogin, byForm := login(next), form(next)
		return func(c echo.Context) error {
			r := c.Request()
			if r.Method == http.MethodGet || r.Method == http.MethodHead || r.ContentLength == 0 {
				return byForm(c)
			}
			rc := http.NewResponseController(c.Response())
			// Once the body is in, the read deadline is lifted: net/http's
			// background read would otherwise hit it and cancel the
			// context of a request still being handled.
			r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc}
			if uploadRoutes[c.Path()] {
				return streamed(c) // within the server's ReadTimeout
			}
			// A few KB or even 1 MB need no minutes: a client trickling
			// its body is cut off early.
			rc.SetReadDeadline(time.Now().Add(s.opts.BodyReadTimeout))
			if loginRoutes[c.Path()] {
				return byLogin(c)
			}
			return byForm(c)
		}
	}
}

// deadlineBody lifts the connection's read deadline when the body has been
// read to its end.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
