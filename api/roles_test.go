package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// A user created by another process (the CLI, seed demo, another
// instance) has roles this server never loaded: sign-in and /me must still
// name them.
func TestRolesGrantedElsewhereShowAtLogin(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		s := newTestServer(t, db)
		p := s.mustUnit(t, tenants.NewUnit{Code: "24", Name: "Tỉnh Bắc Giang", Kind: "province"})
		w := s.mustChild(t, p, "ward", "07795")
		other, err := authz.New(s.Root, db)
		if err != nil {
			t.Fatal(err)
		}
		elsewhere := &identity.Service{DB: db, Grants: other, Hasher: identity.NewHasher(fastArgon2, 0)}
		err = db.RunInTx(s.Root, nil, func(ctx context.Context, tx bun.Tx) error {
			_, err := elsewhere.CreateUserTx(ctx, tx, identity.NewUser{Username: "demo.xa", FullName: "Cán bộ phường", Roles: []string{"ward", "police"}, Password: testPassword("demo.xa")}, w)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		c, res := s.login(t, "demo.xa", testPassword("demo.xa"))
		if res.Status != http.StatusOK {
			t.Fatalf("login = %d %s", res.Status, res.Body)
		}
		if got, want := strings.Join(c.User.Roles, ","), "ward,police"; got != want {
			t.Errorf("login roles = %q, want %q", got, want)
		}
		me := c.serve(t, http.MethodGet, "/api/v1/me", "", nil)
		var u identity.User
		if err := json.Unmarshal(me.Body, &u); err != nil || me.Status != http.StatusOK {
			t.Fatalf("GET /me = %d %s", me.Status, me.Body)
		}
		if got, want := strings.Join(u.Roles, ","), "ward,police"; got != want {
			t.Errorf("/me roles = %q, want %q", got, want)
		}
	})
}
