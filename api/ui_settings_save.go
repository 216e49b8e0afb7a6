package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/identity"
)

// settingsSave changes the user's own interface language through the
// identity service (audited there).
func (s *Server) settingsSave(c echo.Context) error {
	ctx := c.Request().Context()
	u := identity.UserFromContext(ctx)
	lang := c.FormValue("lang")
	updated, err := s.opts.Identity.UpdateUser(ctx, u.ID, identity.UserUpdate{Lang: &lang})
	if err != nil {
		fields, _, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		return s.render(c, http.StatusBadRequest, "settings", settingsView{Page: s.page(c), LangField: s.langField(c, lang, fields["lang"])})
	}
	u.Lang = updated.Lang
	s.flash(c, "ok", s.t(c, "settings.saved"))
	return redirect(c, "/settings")
}
