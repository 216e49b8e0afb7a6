package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/identity"
)

// provinceCreate onboards a province and its first province user through
// the same service as POST /api/v1/tenants.
func (s *Server) provinceCreate(c echo.Context) error {
	in := NewTenant{Code: c.FormValue("code"), Name: c.FormValue("name"), UnitType: c.FormValue("unit_type"),
		Admin: identity.NewUser{Username: c.FormValue("admin.username"), FullName: c.FormValue("admin.full_name"), Password: c.FormValue("admin.password")}}
	out, err := s.onboardTenant(c.Request().Context(), in)
	if err != nil {
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		return s.renderProvinces(c, http.StatusBadRequest, in, fields, summary)
	}
	s.flash(c, "ok", s.t(c, "provinces.created_ok", "name", out.Province.Name, "username", out.Admin.Username))
	return redirect(c, "/admin/provinces")
}
