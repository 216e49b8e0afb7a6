package identity_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/storetest"
	"chuyenhoa/tenants"
)

// fast keeps argon2id but with test-sized cost; TestDefaultParams checks
// the production parameters separately.
var fast = identity.Params{MemoryKiB: 64, Time: 1, Threads: 1}

type fixture struct {
	db    *bun.DB
	ids   *identity.Service
	enf   *authz.Enforcer
	root  context.Context
	prov  *tenants.Unit
	ward  *tenants.Unit
	other *tenants.Unit
}

func setup(t *testing.T, db *bun.DB) *fixture {
	t.Helper()
	ctx := tenants.NewContextWithScope(context.Background(), tenants.Scope{All: true})
	enf, err := authz.New(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	units := &tenants.Units{DB: db}
	mk := func(in tenants.NewUnit) *tenants.Unit {
		u, err := units.CreateUnit(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	p := mk(tenants.NewUnit{Code: "24", Name: "Tỉnh Bắc Giang", Kind: "province"})
	d := mk(tenants.NewUnit{Code: "222", Name: "Thị xã Việt Yên", Kind: "district", ParentID: &p.ID})
	w := mk(tenants.NewUnit{Code: "07795", Name: "Phường Nếnh", Kind: "ward", ParentID: &d.ID})
	o := mk(tenants.NewUnit{Code: "07798", Name: "Xã Quang Châu", Kind: "ward", ParentID: &d.ID})
	return &fixture{db: db, enf: enf, root: ctx, prov: p, ward: w, other: o,
		ids: &identity.Service{DB: db, Grants: enf, Hasher: identity.NewHasher(fast, 0)}}
}

func (f *fixture) user(t *testing.T, name string, unit *tenants.Unit, roles ...string) *identity.User {
	t.Helper()
	in := identity.NewUser{Username: name, FullName: "Cán bộ " + name, Roles: roles, Password: "mật-khẩu-dài-" + name}
	if unit != nil {
		in.UnitID = &unit.ID
	}
	u, err := f.ids.CreateUser(f.root, in)
	if err != nil {
		t.Fatalf("create %s: %v", name, err)
	}
	return u
}

func TestPasswordRules(t *testing.T) {
	cases := []struct {
		name, user, pw string
		ok             bool
	}{
		{"too short", "an", "abc1234", false},
		{"eight chars", "an", "xk4!Lm9q", true},
		{"128 chars", "an", strings.Repeat("ab", 64), true},
		{"129 chars", "an", strings.Repeat("a", 129), false},
		{"long passphrase accepted", "an", strings.Repeat("ngựa pin đúng kẹp giấy ", 3), true},
		{"common", "an", "password123", false},
		{"common vietnamese", "an", "matkhau123", false},
		{"common with diacritics", "an", "Mật Khẩu 123", false},
		{"same as username", "nguyenvana", "NguyenVanA", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := identity.ValidatePassword(tc.user, tc.pw) == "", tc.ok; got != want {
				t.Errorf("ValidatePassword(%q) ok = %v, want %v (%s)", tc.pw, got, want, identity.ValidatePassword(tc.user, tc.pw))
			}
		})
	}
}

func TestDefaultParams(t *testing.T) {
	h := identity.NewHasher(identity.DefaultParams, 1)
	enc, err := h.Hash(context.Background(), "một mật khẩu đủ dài")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash = %q, want argon2id m=19456 t=2 p=1", enc)
	}
	ok, err := h.Verify(context.Background(), enc, "một mật khẩu đủ dài")
	if err != nil || !ok {
		t.Errorf("verify = %v, %v", ok, err)
	}
	if ok, _ := h.Verify(context.Background(), enc, "sai"); ok {
		t.Error("wrong password verified")
	}
}

func TestLoginTokensAndDisable(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db)
		u := f.user(t, "ward.nenh", f.ward, "ward")
		ctx := context.Background()

		_, tok, err := f.ids.Login(ctx, "Ward.Nenh", "mật-khẩu-dài-ward.nenh", "10.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) < 22 {
			t.Errorf("token %q shorter than 128 bits", tok)
		}
		got, err := f.ids.UserByToken(ctx, tok)
		if err != nil || got.ID != u.ID {
			t.Fatalf("UserByToken = %v, %v", got, err)
		}
		var stored string
		if err := db.NewSelect().Table("api_tokens").Column("token_hash").Limit(1).Scan(ctx, &stored); err != nil {
			t.Fatal(err)
		}
		if stored == tok || !strings.EqualFold(stored, identity.HashToken(tok)) {
			t.Error("token stored in clear or not as its hash")
		}

		t.Run("revoked token stops working", func(t *testing.T) {
			_, tok2, err := f.ids.Login(ctx, "ward.nenh", "mật-khẩu-dài-ward.nenh", "10.0.0.1")
			if err != nil {
				t.Fatal(err)
			}
			if err := f.ids.RevokeToken(ctx, tok2); err != nil {
				t.Fatal(err)
			}
			if _, err := f.ids.UserByToken(ctx, tok2); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
				t.Errorf("revoked token: err = %v", err)
			}
		})

		t.Run("expired token stops working", func(t *testing.T) {
			later := &identity.Service{DB: db, Grants: f.enf, Hasher: f.ids.Hasher, Now: func() time.Time { return time.Now().Add(31 * 24 * time.Hour) }}
			if _, err := later.UserByToken(ctx, tok); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
				t.Errorf("expired token: err = %v", err)
			}
		})

		t.Run("disabling ends every session", func(t *testing.T) {
			disabled := "disabled"
			if _, err := f.ids.UpdateUser(f.root, u.ID, identity.UserUpdate{Status: &disabled}); err != nil {
				t.Fatal(err)
			}
			if _, err := f.ids.UserByToken(ctx, tok); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
				t.Errorf("token of disabled user: err = %v", err)
			}
			if _, err := f.ids.UserByID(ctx, u.ID); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
				t.Errorf("session of disabled user: err = %v", err)
			}
			if _, _, err := f.ids.Login(ctx, "ward.nenh", "mật-khẩu-dài-ward.nenh", "10.0.0.1"); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
				t.Errorf("login of disabled user: err = %v", err)
			}
		})
	})
}

func TestLoginEnumerationSafeAndThrottled(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db)
		f.user(t, "police.vy", f.prov, "police")
		ctx := context.Background()
		_, _, errUnknown := f.ids.Login(ctx, "khong.ton.tai", "bất kỳ mật khẩu nào", "10.0.0.2")
		_, _, errWrong := f.ids.Login(ctx, "police.vy", "sai mật khẩu rồi", "10.0.0.2")
		if domain.ErrorCode(errUnknown) != domain.EUNAUTHENTICATED || errUnknown.Error() != errWrong.Error() {
			t.Errorf("unknown user = %v, wrong password = %v: want the same answer", errUnknown, errWrong)
		}

		// 100 failures per account per hour, from many addresses.
		for i := 1; i < 100; i++ {
			ip := "10.1." + itoa(i/200) + "." + itoa(i%200)
			if _, _, err := f.ids.Login(ctx, "police.vy", "sai mật khẩu rồi", ip); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
				t.Fatalf("failure %d: err = %v", i, err)
			}
		}
		if _, _, err := f.ids.Login(ctx, "police.vy", "mật-khẩu-dài-police.vy", "10.9.9.9"); domain.ErrorCode(err) != domain.ETOOMANY {
			t.Errorf("101st attempt with the right password: err = %v, want too_many_requests", err)
		}
		// An hour later the account opens again.
		later := &identity.Service{DB: db, Grants: f.enf, Hasher: f.ids.Hasher, Now: func() time.Time { return time.Now().Add(61 * time.Minute) }}
		if _, _, err := later.Login(ctx, "police.vy", "mật-khẩu-dài-police.vy", "10.9.9.9"); err != nil {
			t.Errorf("after an hour: err = %v", err)
		}

		t.Run("per-IP limit", func(t *testing.T) {
			ipLimited := &identity.Service{DB: db, Grants: f.enf, Hasher: f.ids.Hasher, MaxFailuresPerIP: 5}
			for i := 0; i < 5; i++ {
				ipLimited.Login(ctx, "user"+itoa(i), "sai mật khẩu rồi", "10.7.7.7")
			}
			if _, _, err := ipLimited.Login(ctx, "another", "sai mật khẩu rồi", "10.7.7.7"); domain.ErrorCode(err) != domain.ETOOMANY {
				t.Errorf("err = %v, want too_many_requests", err)
			}
		})

		t.Run("logins audited", func(t *testing.T) {
			n, err := db.NewSelect().Model((*audit.Entry)(nil)).Where("action = ?", "auth.login_failed").Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n < 100 {
				t.Errorf("audited failures = %d, want ≥ 100", n)
			}
			n, _ = db.NewSelect().Model((*audit.Entry)(nil)).Where("action = ?", "auth.login").Count(ctx)
			if n != 1 {
				t.Errorf("audited successes = %d, want 1", n)
			}
		})
	})
}

func TestUserScopeAndRoles(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db)
		w := f.user(t, "ward.nenh", f.ward, "ward")
		o := f.user(t, "ward.qc", f.other, "ward", "police")
		wctx := tenants.NewContextWithScope(context.Background(), w.Scope())
		if _, err := f.ids.FindUserByID(wctx, o.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("ward reads other ward's user: err = %v, want not_found", err)
		}
		users, n, err := f.ids.FindUsers(wctx, identity.UserFilter{})
		if err != nil || n != 1 || users[0].ID != w.ID {
			t.Errorf("ward lists %d users (%v)", n, err)
		}
		if got, want := strings.Join(o.Roles, ","), "ward,police"; got != want {
			t.Errorf("roles = %s, want %s", got, want)
		}
		cases := []struct {
			name  string
			in    identity.NewUser
			field string
		}{
			{"province role at a ward", identity.NewUser{Username: "x1", FullName: "X", UnitID: &f.ward.ID, Roles: []string{"province"}, Password: "đủ dài và lạ"}, "roles"},
			{"unknown role", identity.NewUser{Username: "x2", FullName: "X", UnitID: &f.ward.ID, Roles: []string{"king"}, Password: "đủ dài và lạ"}, "roles"},
			{"admin at a unit", identity.NewUser{Username: "x3", FullName: "X", UnitID: &f.ward.ID, Roles: []string{"admin"}, Password: "đủ dài và lạ"}, "roles"},
			{"bad username", identity.NewUser{Username: "a b", FullName: "X", UnitID: &f.ward.ID, Roles: []string{"ward"}, Password: "đủ dài và lạ"}, "username"},
			{"short password", identity.NewUser{Username: "x4", FullName: "X", UnitID: &f.ward.ID, Roles: []string{"ward"}, Password: "short"}, "password"},
			{"no name", identity.NewUser{Username: "x5", FullName: " ", UnitID: &f.ward.ID, Roles: []string{"ward"}, Password: "đủ dài và lạ"}, "full_name"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				_, err := f.ids.CreateUser(f.root, tc.in)
				e, ok := err.(*domain.Error)
				if !ok || e.Code != domain.EINVALID {
					t.Fatalf("err = %v, want invalid", err)
				}
				if _, ok := e.Fields[tc.field]; !ok {
					t.Errorf("fields = %v, want %s", e.Fields, tc.field)
				}
			})
		}
		t.Run("duplicate username", func(t *testing.T) {
			_, err := f.ids.CreateUser(f.root, identity.NewUser{Username: "WARD.NENH", FullName: "X", UnitID: &f.ward.ID, Roles: []string{"ward"}, Password: "đủ dài và lạ"})
			if domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("err = %v, want conflict", err)
			}
		})
		t.Run("roles replaced", func(t *testing.T) {
			roles := []string{"police"}
			u, err := f.ids.UpdateUser(f.root, o.ID, identity.UserUpdate{Roles: &roles})
			if err != nil {
				t.Fatal(err)
			}
			if got := f.enf.RolesOf(u.ID, f.other.ID); len(got) != 1 || got[0] != "police" {
				t.Errorf("roles after update = %v", got)
			}
		})
	})
}

func TestAuditAppendOnly(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		f := setup(t, db)
		f.user(t, "ward.nenh", f.ward, "ward")
		ctx := context.Background()
		if _, err := db.NewUpdate().Model((*audit.Entry)(nil)).Set("action = 'x'").Where("1 = 1").Exec(ctx); err == nil {
			t.Error("UPDATE of audit_log succeeded")
		}
		if _, err := db.NewDelete().Model((*audit.Entry)(nil)).Where("1 = 1").Exec(ctx); err == nil {
			t.Error("DELETE of audit_log succeeded")
		}
		var after string
		if err := db.NewSelect().Model((*audit.Entry)(nil)).Column("after").Where("action = ?", "user.create").Limit(1).Scan(ctx, &after); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(after, "password") || strings.Contains(after, "argon2") {
			t.Errorf("audit after contains a secret: %s", after)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestScopeFailsClosed(t *testing.T) {
	unit := int64(7)
	cases := []struct {
		name string
		u    identity.User
		all  bool
		ok   bool
	}{
		{"platform user", identity.User{}, true, true},
		{"unit loaded", identity.User{UnitID: &unit, Unit: &tenants.Unit{ID: 7, Path: "/3/7/"}}, false, true},
		{"unit not loaded", identity.User{UnitID: &unit}, false, false},
		{"another unit loaded", identity.User{UnitID: &unit, Unit: &tenants.Unit{ID: 8, Path: "/3/8/"}}, false, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := tc.u.Scope()
			if s.All != tc.all {
				t.Errorf("All = %v, want %v", s.All, tc.all)
			}
			_, err := tenants.ScopeFromContext(tenants.NewContextWithScope(context.Background(), s))
			if got := err == nil; got != tc.ok {
				t.Errorf("usable scope = %v (%v), want %v", got, err, tc.ok)
			}
		})
	}
}
