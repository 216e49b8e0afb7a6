package identity_test

import (
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// TestUserByTokenReadsTheUnit: the one-query sign-in of every API request
// returns the same user and unit as reading them one by one.
func TestUserByTokenReadsTheUnit(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db)
		for _, tc := range []struct {
			name string
			unit *tenants.Unit
			role string
		}{{"ward.user", f.ward, "ward"}, {"prov.user", f.prov, "province"}, {"admin.user", nil, "admin"}} {
			f.user(t, tc.name, tc.unit, tc.role)
			_, tok, err := f.ids.Login(f.root, tc.name, "mật-khẩu-dài-"+tc.name, "127.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			u, err := f.ids.UserByToken(f.root, tok)
			if err != nil {
				t.Fatal(err)
			}
			if u.Username != tc.name || len(u.Roles) != 1 || u.Roles[0] != tc.role {
				t.Errorf("%s: user %+v", tc.name, u)
			}
			if tc.unit == nil {
				if u.Unit != nil || !u.Scope().All {
					t.Errorf("%s: unit %+v", tc.name, u.Unit)
				}
				continue
			}
			want, err := tenants.FindUnitByID(f.root, db, tc.unit.ID)
			if err != nil {
				t.Fatal(err)
			}
			got := u.Unit
			if got == nil || got.ID != want.ID || got.Code != want.Code || got.Name != want.Name || got.NameFolded != want.NameFolded ||
				got.Kind != want.Kind || got.UnitType != want.UnitType || *got.TenantID != *want.TenantID || got.Path != want.Path ||
				got.Depth != want.Depth || !got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) ||
				(got.ParentID == nil) != (want.ParentID == nil) || (got.ParentID != nil && *got.ParentID != *want.ParentID) {
				t.Errorf("%s: unit\n got %+v\nwant %+v", tc.name, got, want)
			}
			if s := u.Scope(); s.Path != want.Path || s.TenantID != *want.TenantID || s.UnitID != want.ID {
				t.Errorf("%s: scope %+v", tc.name, s)
			}
		}
	})
}
