package outbox_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/outbox"
	"chuyenhoa/store/storetest"
)

func mustOutbox(t *testing.T, db *bun.DB, consumers ...outbox.Consumer) *outbox.Outbox {
	t.Helper()
	o, err := outbox.New(db, outbox.Options{Consumers: consumers, PollInterval: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// An event exists exactly when the write's transaction commits.
func TestEmitIsPartOfTheTransaction(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		o := mustOutbox(t, db)
		ev := domain.Event{Type: domain.EventReportSubmitted, TenantID: 1, CampaignID: 2, ObjectType: "report", ObjectID: 3, At: time.Now().UTC()}
		errWrite := errors.New("the write fails after emitting")
		err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := o.Emit(ctx, tx, ev); err != nil {
				return err
			}
			return errWrite
		})
		if !errors.Is(err, errWrite) {
			t.Fatalf("rolled back write: %v", err)
		}
		if evs, err := outbox.FindEvents(ctx, db); err != nil || len(evs) != 0 {
			t.Fatalf("after a rollback: events %v, %v; want none", evs, err)
		}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return o.Emit(ctx, tx, ev) }); err != nil {
			t.Fatal(err)
		}
		evs, err := outbox.FindEvents(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 || evs[0].Type != ev.Type || evs[0].ObjectID != 3 || evs[0].CampaignID != 2 {
			t.Fatalf("after a commit: events %+v; want the one emitted", evs)
		}
		c, err := outbox.Count(ctx, db)
		if err != nil || c.Pending != 1 || c.Failed != 0 {
			t.Fatalf("counts %+v, %v; want 1 pending", c, err)
		}
	})
}

// viewsBehind returns views on the test Redis reached through proxy, under
// prefix.
func viewsBehind(t *testing.T, proxy *storetest.TCPProxy, prefix string) *cache.Views {
	t.Helper()
	u, err := url.Parse(storetest.RedisURL())
	if err != nil {
		t.Fatal(err)
	}
	u.Host = proxy.Addr()
	rs, err := cache.NewRedis(u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rs.Client.Close() })
	v := cache.NewViews(rs)
	v.Prefix = prefix
	return v
}

// The failure: a write acknowledged while Redis was unreachable
// from the writer, which then died before Redis came back. The event it
// committed is delivered by another instance's outbox as soon as Redis
// answers, so no instance keeps serving the view from before the write.
func TestBumpDeliveredAfterRedisReturns(t *testing.T) {
	storetest.ForEachDB(t, func(t *testing.T, db *bun.DB) {
		ctx := context.Background()
		storetest.MustRedis(t) // skips or fails as the suite's rule says when Redis is absent
		u, _ := url.Parse(storetest.RedisURL())
		proxy := storetest.NewTCPProxy(t, u.Host)
		var b [4]byte
		rand.Read(b[:])
		prefix := "outboxtest:" + hex.EncodeToString(b[:]) + ":"
		const tenant, campaign = 11, 22

		writer := viewsBehind(t, proxy, prefix)
		before, err := writer.Version(ctx, tenant, campaign)
		if err != nil {
			t.Fatal(err)
		}

		// Redis goes away; the writer commits its write and its event,
		// and its own bump after the commit fails.
		proxy.Down()
		a := mustOutbox(t, db)
		ev := domain.Event{Type: domain.EventUnitRenamed, TenantID: tenant, CampaignID: campaign, At: time.Now().UTC()}
		if err := db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error { return a.Emit(ctx, tx, ev) }); err != nil {
			t.Fatal(err)
		}
		if err := writer.BumpNow(ctx, tenant, campaign); err == nil {
			t.Fatal("bump through a cut proxy succeeded")
		}
		// The writer dies here: its outbox never delivers anything.

		// Another instance delivers, failing while Redis is away.
		reader := viewsBehind(t, proxy, prefix)
		bo := mustOutbox(t, db, outbox.CacheBump(db, reader))
		if err := bo.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			bo.Stop(sctx)
		})
		time.Sleep(1500 * time.Millisecond)
		if c, err := outbox.Count(ctx, db); err != nil || c.Pending != 1 || c.Failed != 0 {
			t.Fatalf("while Redis is away: counts %+v, %v; want the event pending, not failed", c, err)
		}

		proxy.Up()
		back := time.Now()
		for {
			v, err := reader.Version(ctx, tenant, campaign)
			if err == nil && v > before {
				break
			}
			if time.Since(back) > 5*time.Second {
				t.Fatalf("5 s after Redis came back the version is still %d (before the write: %d, err %v)", v, before, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		t.Logf("%s: fresh %v after Redis came back", storetest.Name(db), time.Since(back).Round(10*time.Millisecond))
		deadline := time.Now().Add(5 * time.Second)
		for {
			c, err := outbox.Count(ctx, db)
			if err == nil && c.Pending == 0 && c.Failed == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("event not marked delivered: %+v, %v", c, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})
}
