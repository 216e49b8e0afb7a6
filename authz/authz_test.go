package authz_test

import (
	"context"
	"errors"
	"flag"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/casbin/casbin/v2/model"
	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the permission matrix in README.md")

// MustEnforcer returns a new Enforcer over db.
func MustEnforcer(tb testing.TB, db bun.IDB) *authz.Enforcer {
	tb.Helper()
	e, err := authz.New(context.Background(), db)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// MustGrant grants role to the user at unitID, outside any transaction.
func MustGrant(tb testing.TB, e *authz.Enforcer, db bun.IDB, userID, unitID int64, role string) {
	tb.Helper()
	if err := e.Grant(context.Background(), db, userID, unitID, role); err != nil {
		tb.Fatal(err)
	}
}

func countRules(tb testing.TB, db bun.IDB, ptype string) int {
	tb.Helper()
	n, err := db.NewSelect().Table("casbin_rule").Where("ptype = ?", ptype).Count(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return int(n)
}

// required lists the permissions later issues rely on.
var required = strings.Fields(`unit:read unit:create unit:update unit:import user:read user:create
	user:update audit:read me:read tenant:create campaign:read campaign:create campaign:update
	target:read target:propose target:approve target:start target:exit_propose target:exit_decide plan:read
	plan:write plan:submit plan:review committee:read committee:write model:read model:write
	budget:write attachment:read attachment:write report:read report:write report:write_crime
	report:submit report:review report:assess baseline:write indicator:write calendar:write
	evaluation:read compare:read export:read`)

func TestPolicyFile(t *testing.T) {
	perms := authz.Permissions()
	rules := 0
	var names []string
	for _, p := range perms {
		names = append(names, p.Name)
		rules += len(p.Roles)
		if got, want := p.Name, p.Resource+":"+p.Verb; got != want {
			t.Errorf("name %q, want %q", got, want)
		}
	}
	// A budget for a matrix a person can read (Can answers from a
	// precomputed table, so the count does not slow it): 96 rules before
	// the province took over a district's duties for the wards directly
	// under it (two-tier government, 2025), 100 after.
	if rules > 110 {
		t.Errorf("policy has %d rules; keep the global policy at most 110", rules)
	}
	for _, r := range required {
		if !slices.Contains(names, r) {
			t.Errorf("permission %s missing from policy.csv", r)
		}
	}
	for _, n := range names {
		if !slices.Contains(required, n) {
			t.Errorf("permission %s in policy.csv but not in the test's list: add it there", n)
		}
	}
	for _, role := range authz.Roles {
		if !slices.ContainsFunc(perms, func(p authz.Permission) bool { return slices.Contains(p.Roles, role) }) {
			t.Errorf("role %s holds no permission", role)
		}
	}
}

// TestREADME keeps the generated matrix in README.md in sync with
// policy.csv; run with -update to rewrite it.
func TestREADME(t *testing.T) {
	const begin, end = "<!-- authz:begin -->\n", "<!-- authz:end -->"
	const path = "../README.md"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %q … %q markers", begin, end)
	}
	got, want := readme[i+len(begin):j], authz.MatrixMarkdown()
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(path, []byte(readme[:i+len(begin)]+want+readme[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md permission matrix is stale; run: go test ./authz -run README -update\nwant:\n%s", want)
}

func TestMatrixMarkdown(t *testing.T) {
	md := authz.MatrixMarkdown()
	for _, line := range []string{
		"| permission | `province` | `district` | `ward` | `police` | `admin` |",
		"| `report:write_crime` |   |   |   | ✓ |   |",
		"| `tenant:create` |   |   |   |   | ✓ |",
	} {
		if !strings.Contains(md, line+"\n") {
			t.Errorf("matrix lacks line %q:\n%s", line, md)
		}
	}
}

func TestRoles(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		e := MustEnforcer(t, db)
		for _, tt := range []struct {
			role, perm string
			want       bool
		}{
			{"ward", "report:write", true},
			{"ward", "report:write_crime", false},
			{"ward", "report:submit", true},
			{"ward", "report:review", false},
			{"ward", "plan:write", true},
			{"ward", "plan:review", false},
			{"ward", "model:write", true},
			{"ward", "committee:write", true},
			{"ward", "target:propose", false},
			{"ward", "user:create", false},
			{"ward", "compare:read", false},
			{"police", "report:write_crime", true},
			{"police", "report:write", true},
			{"police", "baseline:write", true},
			{"police", "report:read", true},
			{"police", "report:review", false},
			{"police", "plan:write", false},
			{"police", "target:approve", false},
			{"district", "target:propose", true},
			{"district", "target:approve", false},
			{"district", "target:exit_propose", true},
			{"district", "target:exit_decide", false},
			{"district", "plan:review", true},
			{"district", "report:review", true},
			{"district", "report:assess", true},
			{"district", "report:write_crime", false},
			{"district", "user:create", true},
			{"district", "unit:create", false},
			{"district", "export:read", true},
			{"province", "target:approve", true},
			{"province", "target:exit_decide", true},
			// The province does a district's duties for a ward directly
			// under it (two-tier); the store checks it is the ward's parent.
			{"province", "target:propose", true},
			{"province", "target:exit_propose", true},
			{"province", "plan:review", true},
			{"province", "report:review", true},
			{"province", "report:assess", true},
			{"province", "indicator:write", true},
			{"province", "calendar:write", true},
			{"province", "compare:read", true},
			{"province", "export:read", true},
			{"province", "unit:import", true},
			{"province", "user:create", true},
			{"province", "report:read", true},
			{"province", "report:write", false},
			{"province", "tenant:create", false},
			{"admin", "tenant:create", true},
			{"admin", "user:create", true},
			{"admin", "unit:read", true},
			{"admin", "me:read", true},
			{"admin", "report:read", false},
			{"admin", "report:write", false},
			{"admin", "plan:read", false},
			{"admin", "evaluation:read", false},
			{"admin", "compare:read", false},
			{"admin", "audit:read", true},
			{"admin", "unit:create", true},
			{"nobody", "me:read", false},
			{"ward", "report", false},
			{"ward", "", false},
		} {
			if got := e.RoleCan(tt.role, tt.perm); got != tt.want {
				t.Errorf("RoleCan(%s, %s) = %v, want %v", tt.role, tt.perm, got, tt.want)
			}
		}

		// Every cell of the matrix, through grants: a user holding one role
		// has exactly that role's permissions, at its unit only.
		var uid int64
		for _, role := range authz.Roles {
			uid++
			unit := int64(100) + uid
			if role == authz.RoleAdmin {
				unit = 0
			}
			MustGrant(t, e, db, uid, unit, role)
			for _, p := range authz.Permissions() {
				want := slices.Contains(p.Roles, role)
				if got := e.Can(uid, unit, p.Name); got != want {
					t.Errorf("%s user: Can(%s) = %v, want %v", role, p.Name, got, want)
				}
				if got := e.RoleCan(role, p.Name); got != want {
					t.Errorf("RoleCan(%s, %s) = %v, want %v", role, p.Name, got, want)
				}
				if e.Can(uid, unit+1, p.Name) {
					t.Errorf("%s user: Can(%s) at another unit", role, p.Name)
				}
				if e.Can(uid+1000, unit, p.Name) {
					t.Errorf("user without a grant: Can(%s)", p.Name)
				}
			}
		}
		if e.Can(1, 101, "report") || e.Can(0, 101, "unit:read") || e.Can(-1, 0, "unit:read") {
			t.Error("malformed questions must be refused")
		}
	})
}

func TestGrant(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := MustEnforcer(t, db)

		// Granted in the caller's transaction.
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := e.Grant(ctx, tx, 7, 17, authz.RoleWard); err != nil {
				return err
			}
			if err := e.Grant(ctx, tx, 7, 17, authz.RolePolice); err != nil {
				return err
			}
			return e.Grant(ctx, tx, 7, 17, authz.RoleWard) // again: a no-op
		})
		if err != nil {
			t.Fatal(err)
		}
		MustGrant(t, e, db, 8, 0, authz.RoleAdmin)
		if got, want := countRules(t, db, "g"), 3; got != want {
			t.Errorf("stored grants = %d, want %d", got, want)
		}
		if got, want := e.RolesOf(7, 17), []string{"ward", "police"}; !slices.Equal(got, want) {
			t.Errorf("RolesOf = %v, want %v", got, want)
		}
		if got := e.RolesOf(7, 18); len(got) != 0 {
			t.Errorf("RolesOf another unit = %v, want none", got)
		}
		if !e.Can(7, 17, "report:write_crime") || !e.Can(8, 0, "tenant:create") {
			t.Error("granted permissions refused")
		}

		// A second instance on the same database loads the grants.
		e2 := MustEnforcer(t, db)
		if got, want := e2.RolesOf(7, 17), []string{"ward", "police"}; !slices.Equal(got, want) {
			t.Errorf("second enforcer RolesOf = %v, want %v", got, want)
		}
		if !e2.Can(7, 17, "report:write_crime") {
			t.Error("second enforcer: police grant not loaded")
		}

		// Revoked: effective at once here (the cached yes is dropped), and
		// in the other instance after Reload.
		if err := e.Revoke(ctx, db, 7, 17, authz.RolePolice); err != nil {
			t.Fatal(err)
		}
		if e.Can(7, 17, "report:write_crime") {
			t.Error("revoked permission still allowed (stale cache?)")
		}
		if !e.Can(7, 17, "report:write") {
			t.Error("the remaining ward role lost its permission")
		}
		if !e2.Can(7, 17, "report:write_crime") {
			t.Error("second enforcer changed before Reload: the test proves nothing")
		}
		if err := e2.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if e2.Can(7, 17, "report:write_crime") {
			t.Error("second enforcer still allows a revoked role after Reload")
		}
		if got, want := e2.RolesOf(7, 17), []string{"ward"}; !slices.Equal(got, want) {
			t.Errorf("second enforcer RolesOf after Reload = %v, want %v", got, want)
		}

		// A grant whose transaction rolls back is gone after Reload.
		boom := errors.New("boom")
		err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := e.Grant(ctx, tx, 9, 17, authz.RoleDistrict); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		if err := e.Reload(ctx); err != nil {
			t.Fatal(err)
		}
		if e.Can(9, 17, "target:propose") {
			t.Error("a rolled-back grant survives Reload")
		}

		// RevokeAll.
		MustGrant(t, e, db, 10, 20, authz.RoleDistrict)
		MustGrant(t, e, db, 10, 21, authz.RolePolice)
		if err := e.RevokeAll(ctx, db, 10); err != nil {
			t.Fatal(err)
		}
		if len(e.RolesOf(10, 20))+len(e.RolesOf(10, 21)) != 0 || e.Can(10, 20, "target:propose") {
			t.Error("RevokeAll left roles")
		}
		if e3 := MustEnforcer(t, db); len(e3.RolesOf(10, 20))+len(e3.RolesOf(10, 21)) != 0 {
			t.Error("RevokeAll left stored grants")
		}
		if got, want := e.RolesOf(7, 17), []string{"ward"}; !slices.Equal(got, want) {
			t.Errorf("RevokeAll of user 10 touched user 7: %v", got)
		}

		// The database is still open: nothing here closed it.
		if err := db.PingContext(ctx); err != nil {
			t.Fatalf("database closed: %v", err)
		}
	})
}

func TestGrantRefused(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := MustEnforcer(t, db)
		for _, tt := range []struct {
			name        string
			user, unit  int64
			role, field string
		}{
			{"unknown role", 1, 17, "superuser", "role"},
			{"empty role", 1, 17, "", "role"},
			{"role in another case", 1, 17, "Ward", "role"},
			{"admin at a unit", 1, 17, "admin", "unit"},
			{"ward without a unit", 1, 0, "ward", "unit"},
			{"no user", 0, 17, "ward", "user"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				for op, f := range map[string]func(context.Context, bun.IDB, int64, int64, string) error{
					"Grant": e.Grant, "Revoke": e.Revoke,
				} {
					err := f(ctx, db, tt.user, tt.unit, tt.role)
					var de *domain.Error
					if !errors.As(err, &de) || de.Code != domain.EINVALID {
						t.Fatalf("%s: err = %v, want %s", op, err, domain.EINVALID)
					}
					if _, ok := de.Fields[tt.field]; !ok {
						t.Errorf("%s: error %v does not name field %q", op, err, tt.field)
					}
				}
			})
		}
		if got := countRules(t, db, "g"); got != 0 {
			t.Errorf("refused grants stored %d rules", got)
		}
	})
}

// TestPolicySync: the file is the source of truth for p rules; New is
// idempotent and repairs a tampered table.
func TestPolicySync(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		n := 0
		for _, p := range authz.Permissions() {
			n += len(p.Roles)
		}
		MustEnforcer(t, db)
		MustEnforcer(t, db)
		if got := countRules(t, db, "p"); got != n {
			t.Fatalf("stored p rules = %d, want %d (the file's)", got, n)
		}
		a := authz.NewAdapter(db)
		if err := a.AddPolicyCtx(ctx, "p", "p", []string{"ward", "report", "write_crime"}); err != nil {
			t.Fatal(err)
		}
		if err := a.RemovePolicyCtx(ctx, "p", "p", []string{"police", "report", "write_crime"}); err != nil {
			t.Fatal(err)
		}
		e := MustEnforcer(t, db)
		if e.RoleCan("ward", "report:write_crime") || !e.RoleCan("police", "report:write_crime") {
			t.Error("New did not restore the file's policy")
		}
		if got := countRules(t, db, "p"); got != n {
			t.Errorf("stored p rules = %d, want %d", got, n)
		}
	})
}

// TestAdapter exercises the persist.Adapter directly, inside a transaction
// and on the shared database, and checks it never closes either.
func TestAdapter(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		m, err := model.NewModelFromString("[request_definition]\nr = sub, dom, obj, act\n[policy_definition]\np = sub, obj, act\n[role_definition]\ng = _, _, _\n[policy_effect]\ne = some(where (p.eft == allow))\n[matchers]\nm = g(r.sub, p.sub, r.dom) && r.obj == p.obj && r.act == p.act")
		if err != nil {
			t.Fatal(err)
		}
		grants := [][]string{{"user:1", "ward", "unit:1"}, {"user:2", "ward", "unit:1"}, {"user:2", "police", "unit:2"}}
		err = db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			a := authz.NewAdapter(tx)
			if err := a.AddPoliciesCtx(ctx, "g", "g", grants); err != nil {
				return err
			}
			return a.AddPoliciesCtx(ctx, "g", "g", grants[:1]) // duplicates skipped
		})
		if err != nil {
			t.Fatal(err)
		}
		a := authz.NewAdapter(db)
		if err := a.LoadPolicy(m); err != nil {
			t.Fatal(err)
		}
		if got := len(m["g"]["g"].Policy); got != 3 {
			t.Errorf("loaded %d grants, want 3", got)
		}
		if err := a.RemoveFilteredPolicy("g", "g", 0, "user:2", "", "unit:2"); err != nil {
			t.Fatal(err)
		}
		if err := a.RemovePolicies("g", "g", grants[:1]); err != nil {
			t.Fatal(err)
		}
		if got := countRules(t, db, "g"); got != 1 {
			t.Errorf("after removals %d grants, want 1", got)
		}
		if err := a.RemoveFilteredPolicy("g", "g", 5, "a", "b"); err == nil {
			t.Error("filter beyond v5 accepted")
		}
		if err := a.AddPolicy("p", "p", []string{"1", "2", "3", "4", "5", "6", "7"}); err == nil {
			t.Error("rule with 7 values accepted")
		}
		// SavePolicy replaces everything with the model's rules.
		m2 := m.Copy()
		m2.ClearPolicy()
		if err := m2.AddPolicy("g", "g", []string{"user:3", "district", "unit:3"}); err != nil {
			t.Fatal(err)
		}
		if err := a.SavePolicy(m2); err != nil {
			t.Fatal(err)
		}
		if got := countRules(t, db, "g"); got != 1 {
			t.Errorf("after SavePolicy %d grants, want 1", got)
		}
		if err := db.PingContext(ctx); err != nil {
			t.Fatalf("adapter closed the database: %v", err)
		}
		if _, err := db.NewSelect().Table("casbin_rule").Count(ctx); err != nil {
			t.Fatalf("database unusable after the adapter: %v", err)
		}
	})
}

// TestStoredGrantChecked: a grant Grant could not have written (here a role
// inheriting a role) is refused at load, and Reload keeps what it had.
func TestStoredGrantChecked(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e := MustEnforcer(t, db)
		MustGrant(t, e, db, 1, 17, authz.RoleWard)
		if err := authz.NewAdapter(db).AddPolicyCtx(ctx, "g", "g", []string{"ward", "police", "unit:17"}); err != nil {
			t.Fatal(err)
		}
		if err := e.Reload(ctx); err == nil {
			t.Error("Reload accepted a role-to-role grant")
		}
		if !e.Can(1, 17, "report:write") || e.Can(1, 17, "report:write_crime") {
			t.Error("a failed Reload changed the grants in memory")
		}
		if _, err := authz.New(ctx, db); err == nil {
			t.Error("New accepted a role-to-role grant")
		}
	})
}
