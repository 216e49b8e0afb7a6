package api

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/authz/identity"
	"chuyenhoa/tenants"
)

type userFormView struct {
	web.Page
	Heading    string
	Action     string
	Error      string
	Fields     []web.Field
	Roles      []web.Option
	RolesError string
}

// userForm is what the user form holds, for a new user or an edit.
type userForm struct {
	ID       int64
	Username string
	FullName string
	UnitID   string
	Roles    []string
	Lang     string
	Status   string
}

// roleChoices lists the roles the caller may hand out: the platform admin
// role only by the platform admin.
func (s *Server) roleChoices(c echo.Context, selected []string) []web.Option {
	me := identity.UserFromContext(c.Request().Context())
	var out []web.Option
	for _, r := range identity.AllRoles {
		if r == identity.RoleAdmin && !me.HasRole(identity.RoleAdmin) {
			continue
		}
		out = append(out, web.Option{Value: r, Label: s.t(c, "role."+r), Selected: slices.Contains(selected, r)})
	}
	return out
}

// unitChoices lists the units a user may be placed in: the caller's
// subtree (provinces only for the platform admin, whose scope is the
// whole country).
func (s *Server) unitChoices(c echo.Context, selected string) ([]web.Option, error) {
	ctx := c.Request().Context()
	me := identity.UserFromContext(ctx)
	f := tenants.UnitFilter{Limit: 1000}
	var out []web.Option
	if me.Unit == nil {
		k := tenants.KindProvince
		f.Kind = &k
		out = append(out, web.Option{Value: "", Label: s.t(c, "platform"), Selected: selected == ""})
	}
	units, _, err := s.units.FindUnits(ctx, f)
	if err != nil {
		return nil, err
	}
	for _, u := range units {
		indent := ""
		for i := 0; i < u.Depth; i++ {
			indent += "\u00a0\u00a0"
		}
		id := strconv.FormatInt(u.ID, 10)
		out = append(out, web.Option{Value: id, Label: indent + u.Name, Selected: id == selected})
	}
	return out, nil
}

func (s *Server) renderUserForm(c echo.Context, status int, in userForm, errs map[string]string, summary string) error {
	v := userFormView{Page: s.page(c), Error: summary, Roles: s.roleChoices(c, in.Roles), RolesError: errs["roles"]}
	langs := []web.Option{}
	for _, l := range web.Langs {
		langs = append(langs, web.Option{Value: l, Label: s.t(c, "lang."+l), Selected: l == in.Lang})
	}
	if in.ID == 0 {
		v.Heading, v.Action = s.t(c, "users.new"), "/admin/users"
		units, err := s.unitChoices(c, in.UnitID)
		if err != nil {
			return err
		}
		v.Fields = []web.Field{
			{Name: "username", Label: s.t(c, "users.username"), Hint: s.t(c, "users.username.hint"), Value: in.Username, Error: errs["username"], Required: true, Autocomplete: "off"},
			{Name: "full_name", Label: s.t(c, "users.full_name"), Value: in.FullName, Error: errs["full_name"], Required: true, Autocomplete: "off"},
			{Name: "unit_id", Label: s.t(c, "users.unit"), Type: "select", Options: units, Error: errs["unit_id"], Required: true},
			{Name: "password", Label: s.t(c, "users.password"), Hint: s.t(c, "users.password.hint"), Type: "password", Error: errs["password"], Required: true, Autocomplete: "new-password"},
			{Name: "lang", Label: s.t(c, "users.lang"), Type: "select", Options: langs, Error: errs["lang"]},
		}
	} else {
		v.Heading, v.Action = s.t(c, "users.edit", "username", in.Username), "/admin/users/"+itoa(in.ID)
		v.Fields = []web.Field{
			{Name: "full_name", Label: s.t(c, "users.full_name"), Value: in.FullName, Error: errs["full_name"], Required: true, Autocomplete: "off"},
			{Name: "status", Label: s.t(c, "users.status"), Type: "select", Error: errs["status"], Options: []web.Option{
				{Value: "active", Label: s.t(c, "users.status.active"), Selected: in.Status == "active"},
				{Value: "disabled", Label: s.t(c, "users.status.disabled"), Selected: in.Status == "disabled"},
			}},
			{Name: "password", Label: s.t(c, "users.password.new"), Hint: s.t(c, "users.password.new.hint"), Type: "password", Error: errs["password"], Autocomplete: "new-password"},
			{Name: "lang", Label: s.t(c, "users.lang"), Type: "select", Options: langs, Error: errs["lang"]},
		}
	}
	return s.render(c, status, "admin_user_form", v)
}

// userNew shows the empty form of a new user.
func (s *Server) userNew(c echo.Context) error {
	return s.renderUserForm(c, http.StatusOK, userForm{Lang: web.LangVI}, nil, "")
}

// userEdit shows the form of a user inside the caller's scope.
func (s *Server) userEdit(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	u, err := s.opts.Identity.FindUserByID(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.renderUserForm(c, http.StatusOK, userForm{ID: u.ID, Username: u.Username, FullName: u.FullName, Roles: u.Roles, Lang: u.Lang, Status: u.Status}, nil, "")
}
