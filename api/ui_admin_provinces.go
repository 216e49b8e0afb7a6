package api

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"chuyenhoa/api/web"
	"chuyenhoa/tenants"
	"chuyenhoa/tenants/official"
)

type provincesView struct {
	web.Page
	Provinces      []*tenants.Unit
	Pager          web.Pager
	Error          string
	OfficialField  web.Field
	ProvinceFields []web.Field
	AdminFields    []web.Field
}

const listPageSize = 50

// provincesPage lists the provinces (platform admin) with the form that
// onboards a new one.
func (s *Server) provincesPage(c echo.Context) error {
	return s.renderProvinces(c, http.StatusOK, NewTenant{}, nil, "")
}

func (s *Server) renderProvinces(c echo.Context, status int, in NewTenant, errs map[string]string, summary string) error {
	kind := tenants.KindProvince
	off := 0
	if o, ok := formInt64(c.QueryParam("offset")); ok && o != nil {
		off = int(*o)
	}
	units, total, err := s.units.FindUnits(c.Request().Context(), tenants.UnitFilter{Kind: &kind, Limit: listPageSize, Offset: off})
	if err != nil {
		return err
	}
	v := provincesView{Page: s.page(c), Provinces: units, Error: summary,
		Pager: web.Pager{Total: total, Limit: listPageSize, Offset: off, Base: "/admin/provinces?"}}
	picked := ""
	if in.Official != "" {
		picked = in.Official + ":" + in.Code
	}
	v.OfficialField = s.officialProvinceField(c, picked, errs["official_province"])
	v.ProvinceFields = []web.Field{
		{Name: "code", Label: s.t(c, "provinces.f.code"), Hint: s.t(c, "provinces.f.code.hint"), Value: in.Code, Error: errs["code"]},
		{Name: "name", Label: s.t(c, "provinces.f.name"), Hint: s.t(c, "provinces.f.name.hint"), Value: in.Name, Error: errs["name"]},
		{Name: "unit_type", Label: s.t(c, "provinces.f.unit_type"), Hint: s.t(c, "provinces.f.unit_type.hint"), Value: in.UnitType, Error: errs["unit_type"]},
	}
	v.AdminFields = []web.Field{
		{Name: "admin.username", ID: "admin-username", Label: s.t(c, "users.username"), Hint: s.t(c, "users.username.hint"), Value: in.Admin.Username, Error: errs["admin.username"], Required: true, Autocomplete: "off"},
		{Name: "admin.full_name", ID: "admin-full_name", Label: s.t(c, "users.full_name"), Value: in.Admin.FullName, Error: errs["admin.full_name"], Required: true, Autocomplete: "off"},
		{Name: "admin.password", ID: "admin-password", Type: "password", Label: s.t(c, "users.password"), Hint: s.t(c, "users.password.hint"), Error: errs["admin.password"], Required: true, Autocomplete: "new-password"},
	}
	return s.render(c, status, "admin_provinces", v)
}

// officialProvinceField is the picker of a province from the official
// lists embedded in the binary, the 2025 list first.
func (s *Server) officialProvinceField(c echo.Context, picked, errMsg string) web.Field {
	f := web.Field{Name: "official_province", Type: "select", Label: s.t(c, "provinces.f.official"), Hint: s.t(c, "provinces.f.official.hint"), Error: errMsg,
		Options: []web.Option{{Value: "", Label: s.t(c, "provinces.f.official.none"), Selected: picked == ""}}}
	for _, list := range official.Lists() {
		ps, _ := official.Provinces(list)
		for _, p := range ps {
			v := list + ":" + p.Code
			f.Options = append(f.Options, web.Option{Value: v, Selected: v == picked,
				Label: s.t(c, "provinces.f.official.option", "list", list, "code", p.Code, "name", p.Name)})
		}
	}
	return f
}
