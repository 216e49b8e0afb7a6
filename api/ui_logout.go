package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
)

// logoutSubmit ends the session and says so on the sign-in page.
func (s *Server) logoutSubmit(c echo.Context) error {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	if u != nil {
		audit.Record(ctx, s.opts.DB, audit.Change{Action: "auth.logout", ObjectType: "user", ObjectID: itoa(u.ID), Unit: u.Unit})
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	// The session cookie is cleared; the sign-in page keeps the language.
	if u != nil {
		c.SetCookie(&http.Cookie{Name: langCookie, Value: u.Lang, Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: s.opts.TLS, SameSite: http.SameSiteLaxMode})
	}
	return redirect(c, "/login")
}
