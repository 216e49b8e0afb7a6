package identity_test

import (
	"context"
	"testing"

	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/storetest"
)

// Two instances share one version store (Redis in production): a token
// cached by one stops working there at the next request after the other
// disables the user, revokes the token or changes the password.
func TestTokenCacheAcrossInstances(t *testing.T) {
	stores := map[string]func(t *testing.T) identity.Versions{
		"memory": func(t *testing.T) identity.Versions { return cache.NewMemory() },
		"redis": func(t *testing.T) identity.Versions {
			return &cache.Redis{Client: storetest.MustRedis(t)}
		},
	}
	for name, mk := range stores {
		t.Run(name, func(t *testing.T) {
			storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
				f := setup(t, db)
				versions := mk(t)
				enfB, err := authz.New(f.root, db)
				if err != nil {
					t.Fatal(err)
				}
				a := &identity.Service{DB: db, Grants: f.enf, Hasher: f.ids.Hasher, Versions: versions}
				b := &identity.Service{DB: db, Grants: enfB, Hasher: f.ids.Hasher, Versions: versions}
				ctx := context.Background()
				u := f.user(t, "ward.nenh", f.ward, "ward")
				_, tok, err := a.Login(ctx, "ward.nenh", "mật-khẩu-dài-ward.nenh", "10.0.0.1")
				if err != nil {
					t.Fatal(err)
				}
				_, tok2, err := a.Login(ctx, "ward.nenh", "mật-khẩu-dài-ward.nenh", "10.0.0.1")
				if err != nil {
					t.Fatal(err)
				}
				for i := 0; i < 3; i++ { // the second and third calls come from the cache
					got, err := a.UserByToken(ctx, tok)
					if err != nil || got.ID != u.ID || got.Unit == nil || got.Unit.ID != f.ward.ID || len(got.Roles) != 1 {
						t.Fatalf("call %d: UserByToken = %+v, %v", i, got, err)
					}
				}
				a.UserByToken(ctx, tok2)
				// Proof that the cache answers: a change made behind the
				// service's back (no version bump) is not seen until the TTL.
				if _, err := db.NewUpdate().Model((*identity.Token)(nil)).Set("expires_at = ?", "2000-01-01 00:00:00").Where("token_hash = ?", identity.HashToken(tok)).Exec(ctx); err != nil {
					t.Fatal(err)
				}
				if _, err := a.UserByToken(ctx, tok); err != nil {
					t.Errorf("cached token: err = %v, want the cached user", err)
				}
				if _, err := b.UserByToken(ctx, tok); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
					t.Errorf("uncached instance: err = %v, want unauthenticated", err)
				}
				if _, err := db.NewUpdate().Model((*identity.Token)(nil)).Set("expires_at = ?", "2999-01-01 00:00:00").Where("token_hash = ?", identity.HashToken(tok)).Exec(ctx); err != nil {
					t.Fatal(err)
				}

				if err := b.RevokeToken(ctx, tok2); err != nil {
					t.Fatal(err)
				}
				if _, err := a.UserByToken(ctx, tok2); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
					t.Errorf("token revoked on the other instance: err = %v, want unauthenticated", err)
				}
				if _, err := a.UserByToken(ctx, tok); err != nil {
					t.Errorf("other token after a revoke: %v", err)
				}
				disabled := "disabled"
				if _, err := b.UpdateUser(f.root, u.ID, identity.UserUpdate{Status: &disabled}); err != nil {
					t.Fatal(err)
				}
				if _, err := a.UserByToken(ctx, tok); domain.ErrorCode(err) != domain.EUNAUTHENTICATED {
					t.Errorf("user disabled on the other instance: err = %v, want unauthenticated", err)
				}
			})
		})
	}
}
