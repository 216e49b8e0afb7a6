package api

import (
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
	msg := s.t(c, "logout.done")
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	// A message put after Destroy lives in a new, anonymous session.
	s.flash(c, "ok", msg)
	if u != nil {
		return redirect(c, "/login?lang="+u.Lang)
	}
	return redirect(c, "/login")
}
