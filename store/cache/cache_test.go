package cache_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chuyenhoa/store/cache"
	"chuyenhoa/store/storetest"
)

func TestKeys(t *testing.T) {
	if got, want := cache.Key(24, 7, "Q1", "u24", 3), "t:24:cmp:7:Q1:u24:v3"; got != want {
		t.Errorf("Key = %q, want %q", got, want)
	}
	if got, want := cache.VersionKey(24, 7), "t:24:cmp:7:ver"; got != want {
		t.Errorf("VersionKey = %q, want %q", got, want)
	}
}

func TestMemory(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m := cache.NewMemory()
	m.Now = func() time.Time { return now }

	t.Run("set get expire", func(t *testing.T) {
		if err := m.Set(ctx, "a", []byte("x"), time.Minute); err != nil {
			t.Fatal(err)
		}
		if b, ok, err := m.Get(ctx, "a"); err != nil || !ok || string(b) != "x" {
			t.Fatalf("Get = %q %v %v, want x", b, ok, err)
		}
		now = now.Add(time.Minute)
		if _, ok, _ := m.Get(ctx, "a"); ok {
			t.Error("value still there after its TTL")
		}
	})
	t.Run("counter", func(t *testing.T) {
		for want := int64(1); want <= 3; want++ {
			if n, err := m.Incr(ctx, "c"); err != nil || n != want {
				t.Fatalf("Incr = %d %v, want %d", n, err, want)
			}
		}
		if n, _ := m.Int(ctx, "c"); n != 3 {
			t.Errorf("Int = %d, want 3", n)
		}
		if n, _ := m.Int(ctx, "absent"); n != 0 {
			t.Errorf("Int(absent) = %d, want 0", n)
		}
		if _, ok, _ := m.Get(ctx, "c"); ok {
			t.Error("a counter reads as a value")
		}
	})
	t.Run("bounded and counters kept", func(t *testing.T) {
		for i := range 25000 {
			m.Set(ctx, "k"+strconv.Itoa(i), []byte("v"), 0)
		}
		if n, _ := m.Int(ctx, "c"); n != 3 {
			t.Errorf("counter after eviction = %d, want 3", n)
		}
		if _, ok, _ := m.Get(ctx, "k24999"); !ok {
			t.Error("the newest value was evicted")
		}
	})
}

// clock is a fake clock for Views.Now: tests advance it past BreakFor
// instead of sleeping.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// flaky is a Store that fails while fail is set, counting calls.
type flaky struct {
	cache.Store
	fail  atomic.Bool
	calls atomic.Int64
}

var errDown = errors.New("store down")

func (f *flaky) Get(ctx context.Context, key string) ([]byte, bool, error) {
	f.calls.Add(1)
	if f.fail.Load() {
		return nil, false, errDown
	}
	return f.Store.Get(ctx, key)
}

func (f *flaky) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	f.calls.Add(1)
	if f.fail.Load() {
		return errDown
	}
	return f.Store.Set(ctx, key, val, ttl)
}

func (f *flaky) Incr(ctx context.Context, key string) (int64, error) {
	f.calls.Add(1)
	if f.fail.Load() {
		return 0, errDown
	}
	return f.Store.Incr(ctx, key)
}

func (f *flaky) Int(ctx context.Context, key string) (int64, error) {
	f.calls.Add(1)
	if f.fail.Load() {
		return 0, errDown
	}
	return f.Store.Int(ctx, key)
}

func (f *flaky) InitIncr(ctx context.Context, key string, start int64) (int64, error) {
	f.calls.Add(1)
	if f.fail.Load() {
		return 0, errDown
	}
	return f.Store.InitIncr(ctx, key, start)
}

func (f *flaky) InitInt(ctx context.Context, key string, start int64) (int64, error) {
	f.calls.Add(1)
	if f.fail.Load() {
		return 0, errDown
	}
	return f.Store.InitInt(ctx, key, start)
}

// source is a loader whose answer changes with each write, like the database.
type source struct {
	mu    sync.Mutex
	value int
	loads atomic.Int64
}

func (s *source) write() {
	s.mu.Lock()
	s.value++
	s.mu.Unlock()
}

func (s *source) load(ctx context.Context) ([]byte, error) {
	s.loads.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	return []byte(strconv.Itoa(s.value)), nil
}

var view = cache.View{TenantID: 24, CampaignID: 7, Period: "Q1", Scope: "u24"}

// asString is the decoder of the tests' views.
func asString(b []byte) (any, error) { return string(b), nil }

func refuse([]byte) (any, error) { return nil, errors.New("refused") }

func str(v any) string {
	s, _ := v.(string)
	return s
}

func mustGet(t *testing.T, v *cache.Views, src *source, wantValue int, wantOutcome cache.Outcome) {
	t.Helper()
	val, out, err := v.Get(context.Background(), view, src.load, asString)
	if err != nil {
		t.Fatal(err)
	}
	if got := str(val); got != strconv.Itoa(wantValue) || out != wantOutcome {
		t.Fatalf("Get = %s (%s), want %d (%s)", got, out, wantValue, wantOutcome)
	}
}

// forEachStore runs f on the in-process store and on the test Redis.
func forEachStore(t *testing.T, f func(t *testing.T, v *cache.Views)) {
	t.Run("memory", func(t *testing.T) { f(t, cache.NewViews(cache.NewMemory())) })
	t.Run("redis", func(t *testing.T) { f(t, storetest.MustRedisViews(t)) })
}

func TestViewsVersioning(t *testing.T) {
	forEachStore(t, func(t *testing.T, v *cache.Views) {
		ctx := context.Background()
		src := &source{}
		mustGet(t, v, src, 0, cache.Miss)
		mustGet(t, v, src, 0, cache.Hit)
		src.write()
		mustGet(t, v, src, 0, cache.Hit) // not bumped: the cache still answers
		before, _ := v.Version(ctx, view.TenantID, view.CampaignID)
		v.Bump(ctx, view.TenantID, view.CampaignID)
		if n, err := v.Version(ctx, view.TenantID, view.CampaignID); err != nil || n != before+1 {
			t.Fatalf("Version = %d %v, want %d", n, err, before+1)
		}
		mustGet(t, v, src, 1, cache.Miss)
		mustGet(t, v, src, 1, cache.Hit)

		// Another campaign's bump leaves this view alone.
		v.Bump(ctx, view.TenantID, view.CampaignID+1)
		mustGet(t, v, src, 1, cache.Hit)
		// Another tenant with the same campaign id has its own keys.
		other := view
		other.TenantID++
		if b, out, _ := v.Get(ctx, other, func(context.Context) ([]byte, error) { return []byte("other"), nil }, asString); str(b) != "other" || out != cache.Miss {
			t.Errorf("other tenant = %s (%s), want other (miss)", b, out)
		}
		if got, want := v.Stats.Hits.Load(), int64(4); got != want {
			t.Errorf("hits = %d, want %d", got, want)
		}
		if got, want := v.Stats.Misses.Load(), int64(3); got != want {
			t.Errorf("misses = %d, want %d", got, want)
		}
		if got := v.Stats.Fallbacks.Load() + v.Stats.Errors.Load(); got != 0 {
			t.Errorf("fallbacks+errors = %d, want 0", got)
		}
	})
}

func TestViewsDecoderRefusesCachedValue(t *testing.T) {
	forEachStore(t, func(t *testing.T, v *cache.Views) {
		ctx := context.Background()
		// Another process stored a value this one refuses (another tenant's, say).
		other := cache.NewViews(v.Store)
		other.Prefix = v.Prefix
		if b, out, _ := other.Get(ctx, view, func(context.Context) ([]byte, error) { return []byte("bad"), nil }, asString); str(b) != "bad" || out != cache.Miss {
			t.Fatalf("first = %s %s", b, out)
		}
		strict := func(b []byte) (any, error) {
			if string(b) == "bad" {
				return nil, errors.New("refused")
			}
			return string(b), nil
		}
		good := func(context.Context) ([]byte, error) { return []byte("good"), nil }
		if b, out, _ := v.Get(ctx, view, good, strict); str(b) != "good" || out != cache.Miss {
			t.Fatalf("refused = %s %s, want a fresh load", b, out)
		}
		third := cache.NewViews(v.Store)
		third.Prefix = v.Prefix
		if b, out, _ := third.Get(ctx, view, good, strict); str(b) != "good" || out != cache.Hit {
			t.Fatalf("after refusal = %s %s, want the fresh value stored", b, out)
		}
		if got := v.Stats.Errors.Load(); got != 1 {
			t.Errorf("errors = %d, want 1", got)
		}
		// A loaded value the decoder refuses is an error, not cached.
		v.Bump(ctx, view.TenantID, view.CampaignID)
		if _, _, err := v.Get(ctx, view, good, refuse); err == nil {
			t.Error("a refused load is not an error")
		}
	})
}

func TestViewsLoadErrorNotCached(t *testing.T) {
	forEachStore(t, func(t *testing.T, v *cache.Views) {
		ctx := context.Background()
		boom := errors.New("boom")
		if _, _, err := v.Get(ctx, view, func(context.Context) ([]byte, error) { return nil, boom }, asString); !errors.Is(err, boom) {
			t.Fatalf("err = %v, want boom", err)
		}
		src := &source{value: 5}
		mustGet(t, v, src, 5, cache.Miss)
	})
}

// TestViewsSingleflight: 500 concurrent misses of one view cost one load.
func TestViewsSingleflight(t *testing.T) {
	forEachStore(t, func(t *testing.T, v *cache.Views) {
		const n = 500
		var loads atomic.Int64
		load := func(ctx context.Context) ([]byte, error) {
			loads.Add(1)
			// Hold the load until every caller has missed, so all 500
			// are waiting on it (bounded: a broken test fails below).
			deadline := time.Now().Add(10 * time.Second)
			for v.Stats.Misses.Load() < n && time.Now().Before(deadline) {
				time.Sleep(time.Millisecond)
			}
			return []byte("view"), nil
		}
		// The version counter exists, as it does after the first read, and
		// the connection pool is warm, as in a running server.
		var warm sync.WaitGroup
		for range 128 {
			warm.Add(1)
			go func() {
				defer warm.Done()
				if _, err := v.Version(context.Background(), view.TenantID, view.CampaignID); err != nil {
					t.Error(err)
				}
			}()
		}
		warm.Wait()
		var wg sync.WaitGroup
		start := make(chan struct{})
		errs := make(chan error, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
				defer cancel()
				b, out, err := v.Get(ctx, view, load, asString)
				if err == nil && (str(b) != "view" || out != cache.Miss) {
					err = fmt.Errorf("got %s (%s)", b, out)
				}
				errs <- err
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if got := loads.Load(); got != 1 {
			t.Errorf("loads = %d for %d concurrent misses, want 1", got, n)
		}
		if got := v.Stats.Misses.Load(); got != n {
			t.Errorf("misses = %d, want %d", got, n)
		}
		if got := v.Stats.Fallbacks.Load(); got != 0 {
			t.Errorf("fallbacks = %d, want 0", got)
		}
	})
}

func TestViewsFallbackAndRecovery(t *testing.T) {
	ctx := context.Background()
	st := &flaky{Store: cache.NewMemory()}
	v := cache.NewViews(st)
	v.BreakFor = 50 * time.Millisecond
	clk := newClock()
	v.Now = clk.Now
	src := &source{}
	mustGet(t, v, src, 0, cache.Miss)
	mustGet(t, v, src, 0, cache.Hit)
	first, _ := v.Version(ctx, view.TenantID, view.CampaignID)

	st.fail.Store(true)
	src.write()
	v.Bump(ctx, view.TenantID, view.CampaignID) // fails: kept as pending
	calls := st.calls.Load()
	for range 20 {
		mustGet(t, v, src, 1, cache.Fallback)
	}
	// The third failure in a row opens the breaker: no more calls.
	if got := st.calls.Load() - calls; got != 2 {
		t.Errorf("%d store calls after the first failure, want 2 (then the breaker is open)", got)
	}
	if v.Healthy() {
		t.Error("Healthy after three failures")
	}
	if got, want := v.Stats.Fallbacks.Load(), int64(20); got != want {
		t.Errorf("fallbacks = %d, want %d", got, want)
	}

	// The store comes back with the old version and the old view in it:
	// the pending bump must land before anything is served from it.
	st.fail.Store(false)
	clk.Add(60 * time.Millisecond)
	mustGet(t, v, src, 1, cache.Miss)
	mustGet(t, v, src, 1, cache.Hit)
	if !v.Healthy() {
		t.Error("not Healthy after recovery")
	}
	if n, _ := v.Version(ctx, view.TenantID, view.CampaignID); n != first+1 {
		t.Errorf("version = %d, want %d (the pending bump)", n, first+1)
	}
}

// TestViewsFallbackReadsOwnWrites: while the store is down a read after a
// local bump never joins a load that started before it.
func TestViewsFallbackReadsOwnWrites(t *testing.T) {
	ctx := context.Background()
	st := &flaky{Store: cache.NewMemory()}
	st.fail.Store(true)
	v := cache.NewViews(st)
	src := &source{}
	started, release := make(chan struct{}), make(chan struct{})
	slow := func(ctx context.Context) ([]byte, error) {
		b, err := src.load(ctx) // reads before the write
		close(started)
		<-release
		return b, err
	}
	done := make(chan string)
	go func() {
		b, _, _ := v.Get(ctx, view, slow, asString)
		done <- str(b)
	}()
	<-started
	src.write()
	v.Bump(ctx, view.TenantID, view.CampaignID)
	mustGet(t, v, src, 1, cache.Fallback)
	close(release)
	if got := <-done; got != "0" {
		t.Errorf("the slow load = %s, want 0", got)
	}
}

func TestViewsClosedPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there any more
	rs, err := cache.NewRedis("redis://" + addr + "/0")
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Client.Close()
	v := cache.NewViews(rs)
	src := &source{value: 3}
	start := time.Now()
	for range 100 {
		mustGet(t, v, src, 3, cache.Fallback)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("100 reads with Redis down took %v", d)
	}
	if got := v.Stats.Fallbacks.Load(); got != 100 {
		t.Errorf("fallbacks = %d, want 100", got)
	}
	if got := v.Stats.Errors.Load(); got < 1 {
		t.Errorf("errors = %d, want at least 1", got)
	}
	v.Bump(context.Background(), 1, 1) // must not block or panic

	// Counters read through the views (the sign-in token cache's auth
	// version) fail too, and count toward the same breaker.
	if _, err := v.Int(context.Background(), "auth:ver"); err == nil {
		t.Error("Int with Redis down succeeded")
	}
	if _, err := v.Incr(context.Background(), "auth:ver"); err == nil {
		t.Error("Incr with Redis down succeeded")
	}
}

// TestViewsCounters reads and bumps a counter through the breaker on a
// healthy store.
func TestViewsCounters(t *testing.T) {
	v := cache.NewViews(cache.NewMemory())
	ctx := context.Background()
	if n, err := v.Int(ctx, "auth:ver"); err != nil || n != 0 {
		t.Fatalf("Int = %d, %v", n, err)
	}
	if n, err := v.Incr(ctx, "auth:ver"); err != nil || n != 1 {
		t.Fatalf("Incr = %d, %v", n, err)
	}
	if n, _ := v.Int(ctx, "auth:ver"); n != 1 {
		t.Errorf("Int after Incr = %d, want 1", n)
	}
}

// TestViewsRedisKilled runs a Redis of its own, kills it under the views
// and starts it again: answers stay correct throughout and the cache comes
// back by itself.
func TestViewsRedisKilled(t *testing.T) {
	storetest.SkipShort(t, "a Redis fault test")
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("redis-server not installed")
		}
		t.Skip("redis-server not installed")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	startRedis := func() *exec.Cmd {
		cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for range 100 {
			if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
				c.Close()
				return cmd
			}
			time.Sleep(20 * time.Millisecond)
		}
		t.Fatal("redis-server did not start")
		return nil
	}
	cmd := startRedis()
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	rs, err := cache.NewRedis(fmt.Sprintf("redis://127.0.0.1:%d/0", port))
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Client.Close()
	v := cache.NewViews(rs)
	v.BreakFor = 100 * time.Millisecond
	clk := newClock()
	v.Now = clk.Now
	src := &source{}
	mustGet(t, v, src, 0, cache.Miss)
	mustGet(t, v, src, 0, cache.Hit)

	cmd.Process.Kill()
	cmd.Wait()
	src.write()
	v.Bump(context.Background(), view.TenantID, view.CampaignID)
	for range 50 {
		b, out, err := v.Get(context.Background(), view, src.load, asString)
		if err != nil || str(b) != "1" || out != cache.Fallback {
			t.Fatalf("with Redis killed: %s (%s) %v, want 1 from the database", b, out, err)
		}
	}

	cmd = startRedis()
	deadline := time.Now().Add(5 * time.Second)
	for {
		_, out, err := v.Get(context.Background(), view, src.load, asString)
		if err != nil {
			t.Fatal(err)
		}
		if out == cache.Hit {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the cache did not come back after Redis restarted")
		}
		// The breaker reopens the store after BreakFor on the views' clock;
		// the short real pause only paces the retries against the new
		// redis-server while the pool drops its dead connections.
		clk.Add(v.BreakFor)
		time.Sleep(5 * time.Millisecond)
	}
	mustGet(t, v, src, 1, cache.Hit)
}
