package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
)

// userCreate creates a user through the identity service (scope, roles
// and audit checked there) and re-renders the form with its messages.
func (s *Server) userCreate(c echo.Context) error {
	form, _ := c.FormParams()
	in := userForm{Username: c.FormValue("username"), FullName: c.FormValue("full_name"), UnitID: c.FormValue("unit_id"), Roles: form["roles"], Lang: c.FormValue("lang")}
	nu := identity.NewUser{Username: in.Username, FullName: in.FullName, Roles: in.Roles, Password: c.FormValue("password"), Lang: in.Lang}
	id, ok := formInt64(in.UnitID)
	if !ok {
		return s.renderUserForm(c, http.StatusBadRequest, in, map[string]string{"unit_id": domain.ErrorMessage(domain.NotFound("Đơn vị"))}, s.t(c, "form.invalid"))
	}
	nu.UnitID = id
	u, err := s.opts.Identity.CreateUser(c.Request().Context(), nu)
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		return s.renderUserForm(c, http.StatusBadRequest, in, fields, summary)
	}
	s.flash(c, "ok", s.t(c, "users.created_ok", "username", u.Username))
	return redirect(c, "/admin/users")
}

// userSave updates a user inside the caller's scope.
func (s *Server) userSave(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cur, err := s.opts.Identity.FindUserByID(ctx, id)
	if err != nil {
		return err
	}
	form, _ := c.FormParams()
	roles := form["roles"]
	if roles == nil {
		roles = []string{}
	}
	in := userForm{ID: id, Username: cur.Username, FullName: c.FormValue("full_name"), Roles: roles, Lang: c.FormValue("lang"), Status: c.FormValue("status")}
	upd := identity.UserUpdate{FullName: &in.FullName, Status: &in.Status, Roles: &in.Roles, Lang: &in.Lang}
	if p := c.FormValue("password"); p != "" {
		upd.Password = &p
	}
	u, err := s.opts.Identity.UpdateUser(ctx, id, upd)
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		return s.renderUserForm(c, http.StatusBadRequest, in, fields, summary)
	}
	// A change of one's own password ended every session of one's own,
	// this one too; this browser goes on under a new session token.
	if me := identity.UserFromContext(ctx); me != nil && me.ID == u.ID && u.SessionEpoch != me.SessionEpoch {
		if err := s.sessions.RenewToken(ctx); err != nil {
			return err
		}
		s.sessions.Put(ctx, identity.SessionEpochKey, u.SessionEpoch)
	}
	s.flash(c, "ok", s.t(c, "users.updated_ok", "username", u.Username))
	return redirect(c, "/admin/users")
}
