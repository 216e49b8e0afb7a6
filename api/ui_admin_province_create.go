package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"chuyenhoa/authz/identity"
	"chuyenhoa/tenants"
)

// provinceCreate onboards a province and its first province user through
// the same service as POST /api/v1/tenants.
func (s *Server) provinceCreate(c echo.Context) error {
	in := NewTenant{Code: c.FormValue("code"), Name: c.FormValue("name"), UnitType: c.FormValue("unit_type"),
		Admin: identity.NewUser{Username: c.FormValue("admin.username"), FullName: c.FormValue("admin.full_name"), Password: c.FormValue("admin.password")}}
	// A province picked from an official list ("2025:24") brings its name,
	// type and whole subtree; the typed fields are then left aside.
	if list, code, ok := strings.Cut(c.FormValue("official_province"), ":"); ok {
		in = NewTenant{Official: list, Code: code, Admin: in.Admin}
	}
	out, err := s.onboardTenant(c.Request().Context(), in)
	if err != nil {
		if in.Official != "" {
			err = renameFields(err, renamed(map[string]string{"code": "official_province", "official": "official_province"}))
		}
		fields, summary, ferr := s.formErrors(c, err)
		if ferr != nil {
			return ferr
		}
		return s.renderProvinces(c, http.StatusBadRequest, in, fields, summary)
	}
	if out.Units != nil {
		s.flash(c, "ok", s.t(c, "provinces.created_official_ok", "name", out.Province.Name, "username", out.Admin.Username,
			"districts", strconv.Itoa(out.Units.ByKind[tenants.KindDistrict]), "wards", strconv.Itoa(out.Units.ByKind[tenants.KindWard])))
	} else {
		s.flash(c, "ok", s.t(c, "provinces.created_ok", "name", out.Province.Name, "username", out.Admin.Username))
	}
	return redirect(c, "/admin/provinces")
}
