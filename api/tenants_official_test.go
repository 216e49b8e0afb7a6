package api_test

import (
	"net/http"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/api"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
	"chuyenhoa/tenants/official"
)

// TestOnboardFromOfficialList: the platform admin picks a province from
// the embedded list and its districts and wards come with it, in the same
// transaction as the province and its first user.
func TestOnboardFromOfficialList(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		s := newTestServer(t, db)
		admin := s.mustAdmin(t, "quantri")

		var list api.OfficialProvinces
		admin.serveJSON(t, "GET", "/api/v1/official/provinces", nil, http.StatusOK, &list)
		if list.List != official.List2025 || len(list.Items) != 34 {
			t.Errorf("default list %s has %d provinces, want 2025 and 34", list.List, len(list.Items))
		}
		admin.serveJSON(t, "GET", "/api/v1/official/provinces?list=2019", nil, http.StatusOK, &list)
		if len(list.Items) != 63 || list.Items[0].Name != "Thành phố Hà Nội" {
			t.Errorf("2019 list: %d provinces, first %+v", len(list.Items), list.Items[0])
		}
		mustField(t, admin.serveJSON(t, "GET", "/api/v1/official/provinces?list=1999", nil, http.StatusBadRequest, nil), http.StatusBadRequest, "invalid", "list")

		newAdmin := func(name string) identity.NewUser {
			return identity.NewUser{Username: name, FullName: "Cán bộ " + name, Password: testPassword(name)}
		}
		var out api.TenantCreated
		admin.serveJSON(t, "POST", "/api/v1/tenants", api.NewTenant{Official: "2025", Code: "24", Admin: newAdmin("bacninh")}, http.StatusCreated, &out)
		if out.Province.Name != "Tỉnh Bắc Ninh" || out.Province.UnitType != "Tỉnh" || out.Units == nil || out.Units.Created != 100 || out.Units.ByKind["ward"] != 99 {
			t.Errorf("created %+v with units %+v", out.Province, out.Units)
		}
		// The province user sees its 99 wards directly under the province.
		p := s.mustLogin(t, &identity.User{Username: "bacninh"})
		var page struct {
			Items []tenants.Unit `json:"items"`
			Total int            `json:"total"`
		}
		p.serveJSON(t, "GET", "/api/v1/units/"+itoa(out.Province.ID)+"/children?limit=1000", nil, http.StatusOK, &page)
		if page.Total != 99 {
			t.Errorf("Bắc Ninh has %d children, want 99 wards", page.Total)
		}
		for _, u := range page.Items {
			if u.Kind != tenants.KindWard || u.UnitType == "" {
				t.Errorf("child %+v is not a typed ward", u)
			}
		}

		for _, tc := range []struct {
			name   string
			in     api.NewTenant
			status int
			code   string
			field  string
		}{
			{"unknown list", api.NewTenant{Official: "2010", Code: "24", Admin: newAdmin("a1")}, 400, "invalid", "official"},
			{"province not in the list", api.NewTenant{Official: "2025", Code: "27", Admin: newAdmin("a2")}, 400, "invalid", "code"},
			{"no province picked", api.NewTenant{Official: "2025", Admin: newAdmin("a3")}, 400, "invalid", "code"},
			{"another name typed", api.NewTenant{Official: "2019", Code: "01", Name: "Hà Nội mới", Admin: newAdmin("a4")}, 400, "invalid", "name"},
			{"already onboarded", api.NewTenant{Official: "2025", Code: "24", Admin: newAdmin("a5")}, 409, "conflict", "code"},
			{"bad first user", api.NewTenant{Official: "2019", Code: "02", Admin: identity.NewUser{Username: "a6"}}, 400, "invalid", "admin.password"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := countUnits(t, db)
				res := admin.serveJSON(t, "POST", "/api/v1/tenants", tc.in, tc.status, nil)
				mustField(t, res, tc.status, tc.code, tc.field)
				if after := countUnits(t, db); after != before {
					t.Errorf("a refused onboarding left %d units behind", after-before)
				}
			})
		}

		// The 2019 list onboards a three-tier province.
		admin.serveJSON(t, "POST", "/api/v1/tenants", api.NewTenant{Official: "2019", Code: "02", Admin: newAdmin("hagiang")}, http.StatusCreated, &out)
		if out.Province.Name != "Tỉnh Hà Giang" || out.Units.ByKind["district"] != 11 {
			t.Errorf("2019 Hà Giang: %+v %+v", out.Province, out.Units)
		}
	})
}

func countUnits(t *testing.T, db bun.IDB) int64 {
	t.Helper()
	n, err := db.NewSelect().Model((*tenants.Unit)(nil)).Count(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// mustField is mustError that also wants the error to name field.
func mustField(t *testing.T, res response, status int, code, field string) {
	t.Helper()
	if e := mustError(t, res, status, code); e.Error.Fields[field] == "" {
		t.Errorf("error %s does not name %s", res.Body, field)
	}
}
