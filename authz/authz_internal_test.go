package authz

import (
	"context"
	"sync"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/store/storetest"
)

// TestCanAgreesWithEnforce checks that Can, which asks Casbin in two
// look-ups, answers exactly what Casbin's Enforce answers for the model, on
// every permission (and some that do not exist) for users holding one,
// several or no roles, at their unit, another unit and the platform.
func TestCanAgreesWithEnforce(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		e, err := New(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		grants := []struct {
			user, unit int64
			role       string
		}{
			{1, 10, RoleProvince}, {2, 20, RoleDistrict}, {3, 30, RoleWard}, {4, 30, RolePolice},
			{5, 0, RoleAdmin}, {6, 30, RoleWard}, {6, 30, RolePolice}, {7, 20, RoleDistrict},
			{7, 30, RoleWard}, {8, 20, RolePolice}, {8, 0, RoleAdmin},
		}
		for _, g := range grants {
			if err := e.Grant(ctx, db, g.user, g.unit, g.role); err != nil {
				t.Fatal(err)
			}
		}
		perms := []string{"report:delete", "nothing:read", "report:write:crime", "report:", ":write"}
		for _, p := range Permissions() {
			perms = append(perms, p.Name)
		}
		cells, allowed := 0, 0
		for user := int64(1); user <= 9; user++ {
			for _, unit := range []int64{0, 10, 20, 30, 40} {
				for _, perm := range perms {
					got, want := e.Can(user, unit, perm), e.enforce(user, unit, perm)
					if got != want {
						t.Errorf("Can(%d, %d, %s) = %v, Casbin's Enforce says %v", user, unit, perm, got, want)
					}
					cells++
					if got {
						allowed++
					}
				}
			}
		}
		if allowed == 0 || allowed == cells {
			t.Fatalf("%d of %d cells allowed: the comparison proves nothing", allowed, cells)
		}
	})
}

// TestConcurrent runs checks while grants change and the policy reloads
// (meaningful under -race).
func TestConcurrent(t *testing.T) {
	db := storetest.MustSQLite(t)
	ctx := context.Background()
	e, err := New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := range 2000 {
				e.Can(int64(i%50+1), int64(i%7+1), "report:write")
				e.RoleCan(RoleWard, "report:write")
				e.RolesOf(int64(w+1), 3)
			}
		})
	}
	wg.Go(func() {
		for i := range 50 {
			user, unit := int64(i+1), int64(i%7+1)
			if err := e.Grant(ctx, db, user, unit, RoleWard); err != nil {
				t.Error(err)
				return
			}
			if i%10 == 0 {
				if err := e.Reload(ctx); err != nil {
					t.Error(err)
					return
				}
			}
			if i%3 == 0 {
				if err := e.Revoke(ctx, db, user, unit, RoleWard); err != nil {
					t.Error(err)
					return
				}
			}
		}
	})
	wg.Wait()
	if !e.Can(2, 2, "report:write") || e.Can(1, 1, "report:write") {
		t.Error("final grants wrong")
	}
}
