package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
)

type usersView struct {
	web.Page
	CanCreate bool
	CanUpdate bool
	Filters   []web.Field
	Users     []userRow
	Pager     web.Pager
}

type userRow struct {
	ID        int64
	Username  string
	FullName  string
	Unit      string
	Roles     string
	Status    string
	LastLogin string
}

// usersPage lists the users inside the caller's scope.
func (s *Server) usersPage(c echo.Context) error {
	ctx := c.Request().Context()
	me := identity.UserFromContext(ctx)
	f := identity.UserFilter{Limit: listPageSize}
	q := url.Values{}
	if v := strings.TrimSpace(c.QueryParam("q")); v != "" {
		f.Query = &v
		q.Set("q", v)
	}
	if v := c.QueryParam("status"); v == "active" || v == "disabled" {
		f.Status = &v
		q.Set("status", v)
	}
	if o, ok := formInt64(c.QueryParam("offset")); ok && o != nil {
		f.Offset = int(*o)
	}
	users, total, err := s.opts.Identity.FindUsers(ctx, f)
	if err != nil {
		return err
	}
	v := usersView{Page: s.page(c),
		CanCreate: s.opts.Enforcer.Can(me.ID, me.HomeUnitID(), "user:create"),
		CanUpdate: s.opts.Enforcer.Can(me.ID, me.HomeUnitID(), "user:update")}
	for _, u := range users {
		r := userRow{ID: u.ID, Username: u.Username, FullName: u.FullName, Status: u.Status, Unit: s.t(c, "platform"), LastLogin: "—"}
		if u.Unit != nil {
			r.Unit = u.Unit.Name
		}
		roles := make([]string, 0, len(u.Roles))
		for _, role := range u.Roles {
			roles = append(roles, s.t(c, "role."+role))
		}
		r.Roles = strings.Join(roles, ", ")
		if u.LastLoginAt != nil {
			r.LastLogin = web.FormatTime(*u.LastLoginAt)
		}
		v.Users = append(v.Users, r)
	}
	base := "/admin/users?"
	if enc := q.Encode(); enc != "" {
		base += enc + "&"
	}
	v.Pager = web.Pager{Total: total, Limit: listPageSize, Offset: f.Offset, Base: base}
	status := c.QueryParam("status")
	v.Filters = []web.Field{
		{Name: "q", Label: s.t(c, "users.q"), Value: c.QueryParam("q")},
		{Name: "status", Label: s.t(c, "users.status"), Type: "select", Options: []web.Option{
			{Value: "", Label: s.t(c, "form.any")},
			{Value: "active", Label: s.t(c, "users.status.active"), Selected: status == "active"},
			{Value: "disabled", Label: s.t(c, "users.status.disabled"), Selected: status == "disabled"},
		}},
	}
	return s.render(c, http.StatusOK, "admin_users", v)
}
