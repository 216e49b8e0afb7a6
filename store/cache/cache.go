// Package cache is the shared cache of aggregated views: Redis when
// configured (so every instance sees the same versions), an in-process map
// otherwise. Views are cache-aside under versioned keys; a write bumps the
// version so the next read on any instance misses and reloads.
//
// Redis must not evict the version counters (they carry no TTL): run it
// with maxmemory-policy noeviction or a volatile-* policy, which only evicts
// the views (they carry one).
package cache

import (
	"context"
	"errors"
	"log/slog"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Store is the minimal key-value API the views need. Every method returns
// the store's own error when it cannot answer (timeout, connection refused).
type Store interface {
	// Get returns the value of key and whether it exists.
	Get(ctx context.Context, key string) ([]byte, bool, error)
	// Set stores val under key for ttl (0 for no expiry).
	Set(ctx context.Context, key string, val []byte, ttl time.Duration) error
	// Incr atomically increments a counter and returns the new value.
	Incr(ctx context.Context, key string) (int64, error)
	// Int reads a counter (0 when absent).
	Int(ctx context.Context, key string) (int64, error)
	// InitIncr sets an absent counter to start, then increments it, and
	// returns the new value (a counter that exists is only incremented).
	InitIncr(ctx context.Context, key string, start int64) (int64, error)
	// InitInt sets an absent counter to start and returns its value.
	InitInt(ctx context.Context, key string, start int64) (int64, error)
	// Ping checks that the store answers.
	Ping(ctx context.Context) error
}

// RedisTimeout bounds every Redis call: a slow or dead Redis must cost a
// request at most about this long before it falls back to the database.
const RedisTimeout = 100 * time.Millisecond

// Redis is a Store on go-redis.
type Redis struct {
	Client *redis.Client
}

// NewRedis connects with short timeouts (RedisTimeout) and no retries.
func NewRedis(url string) (*Redis, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return nil, err
	}
	// Reads and writes get RedisTimeout; dialling and waiting for a pooled
	// connection twice that, because a burst of requests on a busy machine
	// waits for connections that are healthy, only all in use.
	opt.DialTimeout = 2 * RedisTimeout
	opt.ReadTimeout = RedisTimeout
	opt.WriteTimeout = RedisTimeout
	opt.PoolTimeout = 2 * RedisTimeout
	opt.ContextTimeoutEnabled = true
	opt.MaxRetries = -1 // go-redis: -1 disables retries (0 means the default of 3)
	// One dial attempt: the default of 5 with 100 ms between them would
	// make a dead Redis cost half a second per request.
	opt.DialerRetries = 1
	opt.DialerRetryTimeout = 10 * time.Millisecond
	opt.PoolSize = 128
	opt.MinIdleConns = 8
	return &Redis{Client: redis.NewClient(opt)}, nil
}

// Get implements Store.
func (r *Redis) Get(ctx context.Context, key string) ([]byte, bool, error) {
	b, err := r.Client.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	return b, true, nil
}

// Set implements Store.
func (r *Redis) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return r.Client.Set(ctx, key, val, ttl).Err()
}

// Incr implements Store.
func (r *Redis) Incr(ctx context.Context, key string) (int64, error) {
	return r.Client.Incr(ctx, key).Result()
}

// Int implements Store.
func (r *Redis) Int(ctx context.Context, key string) (int64, error) {
	n, err := r.Client.Get(ctx, key).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	return n, err
}

// InitIncr implements Store in one round trip (MULTI: SETNX, INCR).
func (r *Redis) InitIncr(ctx context.Context, key string, start int64) (int64, error) {
	var incr *redis.IntCmd
	_, err := r.Client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SetNX(ctx, key, start, 0)
		incr = p.Incr(ctx, key)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return incr.Val(), nil
}

// InitInt implements Store in one round trip (MULTI: SETNX, GET).
func (r *Redis) InitInt(ctx context.Context, key string, start int64) (int64, error) {
	var get *redis.StringCmd
	_, err := r.Client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.SetNX(ctx, key, start, 0)
		get = p.Get(ctx, key)
		return nil
	})
	if err != nil {
		return 0, err
	}
	return get.Int64()
}

// Ping implements Store.
func (r *Redis) Ping(ctx context.Context) error { return r.Client.Ping(ctx).Err() }

// maxMemoryEntries bounds the in-process store; views of old versions are
// garbage that nothing reads again.
const maxMemoryEntries = 10000

// Memory is an in-process Store for a single instance.
type Memory struct {
	mu sync.Mutex
	m  map[string]memEntry
	// Now is the clock of the TTLs (time.Now when nil).
	Now func() time.Time
}

type memEntry struct {
	val     []byte
	n       int64
	counter bool
	expires time.Time
}

// NewMemory returns an empty in-process store.
func NewMemory() *Memory { return &Memory{m: map[string]memEntry{}} }

func (m *Memory) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

// Get implements Store.
func (m *Memory) Get(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[key]
	if !ok || e.counter {
		return nil, false, nil
	}
	if !e.expires.IsZero() && !m.now().Before(e.expires) {
		delete(m.m, key)
		return nil, false, nil
	}
	return e.val, true, nil
}

// Set implements Store. The value is kept as given: callers must not change it afterwards.
func (m *Memory) Set(_ context.Context, key string, val []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	e := memEntry{val: val}
	if ttl > 0 {
		e.expires = now.Add(ttl)
	}
	if _, exists := m.m[key]; !exists && len(m.m) >= maxMemoryEntries {
		m.evict(now)
	}
	m.m[key] = e
	return nil
}

// evict drops expired views, then every view if that was not enough;
// counters are kept, since a lost version could serve an old view again.
func (m *Memory) evict(now time.Time) {
	for k, v := range m.m {
		if !v.counter && !v.expires.IsZero() && !now.Before(v.expires) {
			delete(m.m, k)
		}
	}
	if len(m.m) < maxMemoryEntries*3/4 {
		return
	}
	for k, v := range m.m {
		if !v.counter {
			delete(m.m, k)
		}
	}
}

// Incr implements Store.
func (m *Memory) Incr(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e := m.m[key]
	e.n++
	e.counter = true
	e.val = nil
	m.m[key] = e
	return e.n, nil
}

// Int implements Store.
func (m *Memory) Int(_ context.Context, key string) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.m[key].n, nil
}

// InitIncr implements Store.
func (m *Memory) InitIncr(_ context.Context, key string, start int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[key]
	if !ok || !e.counter {
		e = memEntry{n: start, counter: true}
	}
	e.n++
	m.m[key] = e
	return e.n, nil
}

// InitInt implements Store.
func (m *Memory) InitInt(_ context.Context, key string, start int64) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[key]
	if !ok || !e.counter {
		e = memEntry{n: start, counter: true}
		m.m[key] = e
	}
	return e.n, nil
}

// Ping implements Store.
func (m *Memory) Ping(context.Context) error { return nil }

// Stats counts cache outcomes for the metrics endpoint.
type Stats struct {
	// Hits counts views served from the cache (the store or this process's
	// copy of the current version).
	Hits atomic.Int64
	// Misses counts views absent from the store (then loaded and stored).
	Misses atomic.Int64
	// Errors counts failed store calls (and cached values refused by their decoder).
	Errors atomic.Int64
	// Fallbacks counts views served from the database because the store failed.
	Fallbacks atomic.Int64
	// Loads counts calls of a loader: the database queries behind the views.
	Loads atomic.Int64
	// Bumps counts version bumps asked for by writers.
	Bumps atomic.Int64
}

// Outcome says where a view came from.
type Outcome string

// Outcomes of Views.Get.
const (
	Hit      Outcome = "hit"
	Miss     Outcome = "miss"
	Fallback Outcome = "fallback"
)

// View names one cached view: a tenant's campaign, period and scope.
type View struct {
	TenantID   int64
	CampaignID int64
	Period     string
	// Scope names the caller's subtree, e.g. "u42" for the subtree of unit 42.
	Scope string
}

// Loader reads a view from the database, encoded for the store.
type Loader func(ctx context.Context) ([]byte, error)

// Decoder turns a stored view into the value callers use, refusing one
// that is not what the key promises (another tenant's, say) with an error.
type Decoder func([]byte) (any, error)

// maxLocal bounds the decoded views a process keeps.
const maxLocal = 1024

// Views caches views under versioned keys: a read costs one store round
// trip for the version and, when this process has already decoded that
// version, nothing more; otherwise a GET, and on a miss one shared load
// (singleflight). When the store fails, views come from the database.
type Views struct {
	Store Store
	// Prefix is put before every key; empty in production, it separates
	// deployments (or tests) that share one Redis.
	Prefix string
	// TTL bounds how long a view lives in the store; versions, not the
	// TTL, keep views fresh, so it only bounds garbage and a lost bump.
	TTL time.Duration
	// BreakFor is how long the store is skipped after an error, so a dead
	// Redis costs one timeout per BreakFor, not one per request.
	BreakFor time.Duration
	Stats    Stats
	// Log, when set, says when the store fails and when it answers again.
	Log *slog.Logger
	// Now is the clock of the breaker and of version epochs (time.Now when
	// nil); tests advance a fake one instead of sleeping through BreakFor.
	Now func() time.Time
	sf  singleflight.Group
	// down is the time (Unix ns) until which the store is skipped; 0 when healthy.
	down atomic.Int64
	// fails counts store calls that failed in a row.
	fails atomic.Int32
	// gen counts this process's bumps; fallback loads are shared only
	// within one generation so a read after a local write never joins a
	// load that started before it.
	gen atomic.Int64

	mu sync.Mutex
	// pending holds the bumps that failed: until they reach the store,
	// views of those campaigns are served from the database.
	pending  map[[2]int64]struct{}
	npending atomic.Int32
	// local holds decoded views by versioned key. A versioned key never
	// names two contents: versions start at a fresh epoch (the clock in
	// ns) whenever the counter is created, so a Redis that restarts empty
	// cannot hand out an old version number again.
	local      map[string]any
	localOrder []string
}

// NewViews returns views over store.
func NewViews(store Store) *Views {
	return &Views{Store: store, TTL: 10 * time.Minute, BreakFor: time.Second}
}

// VersionKey is the counter of a tenant's views of one campaign.
func VersionKey(tenantID, campaignID int64) string {
	return "t:" + strconv.FormatInt(tenantID, 10) + ":cmp:" + strconv.FormatInt(campaignID, 10) + ":ver"
}

// Key is the cache key of one view at one version; it starts with the
// tenant so keys of two provinces can never collide.
func Key(tenantID, campaignID int64, period, scope string, version int64) string {
	return "t:" + strconv.FormatInt(tenantID, 10) + ":cmp:" + strconv.FormatInt(campaignID, 10) + ":" + period + ":" + scope + ":v" + strconv.FormatInt(version, 10)
}

// available reports whether the store may be used. After BreakFor one
// caller at a time probes it again (half-open); the others keep using the
// database until a call succeeds.
func (v *Views) available() bool {
	d := v.down.Load()
	if d == 0 {
		return true
	}
	now := v.now().UnixNano()
	if now < d {
		return false
	}
	return v.down.CompareAndSwap(d, now+int64(v.breakFor()))
}

func (v *Views) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func (v *Views) breakFor() time.Duration {
	if v.BreakFor > 0 {
		return v.BreakFor
	}
	return time.Second
}

// breakAfter is how many store calls in a row must fail before the store
// is skipped: one timeout on a busy machine only sends its own request to
// the database, a dead Redis (refused at once) is skipped after three.
const breakAfter = 3

func (v *Views) failed(err error) {
	v.Stats.Errors.Add(1)
	if v.fails.Add(1) < breakAfter && v.down.Load() == 0 {
		return
	}
	// Log when the breaker opens, not on every failed call.
	if v.Log != nil && v.down.Load() == 0 {
		v.Log.Warn("cache: store failed; views come from the database until it answers again", slog.String("error", err.Error()))
	}
	v.down.Store(v.now().Add(v.breakFor()).UnixNano())
}

func (v *Views) succeeded() {
	if v.fails.Load() != 0 {
		v.fails.Store(0)
	}
	if v.down.Load() != 0 {
		v.down.Store(0)
		if v.Log != nil {
			v.Log.Info("cache: store answers again")
		}
	}
}

// Healthy reports whether the store is in use (not skipped after an error).
func (v *Views) Healthy() bool { return v.down.Load() == 0 }

// epoch is the first version of a counter created now.
func (v *Views) epoch() int64 { return v.now().UnixNano() }

// Bump invalidates every view of a tenant's campaign on every instance. It
// is called after the write commits. When the store fails the bump is kept
// and retried before this process serves any view from the store again; in
// the meantime this process reads that campaign from the database. Other
// instances can serve the old version until the retry lands or the TTL
// ends, which is the one window of staleness, and only while Redis is
// failing.
func (v *Views) Bump(ctx context.Context, tenantID, campaignID int64) {
	v.Stats.Bumps.Add(1)
	v.gen.Add(1)
	if v.available() {
		_, err := v.Store.InitIncr(ctx, v.Prefix+VersionKey(tenantID, campaignID), v.epoch())
		if err == nil {
			v.succeeded()
			v.flushPending(ctx)
			return
		}
		v.failed(err)
	}
	v.mu.Lock()
	if v.pending == nil {
		v.pending = map[[2]int64]struct{}{}
	}
	v.pending[[2]int64{tenantID, campaignID}] = struct{}{}
	v.npending.Store(int32(len(v.pending)))
	v.mu.Unlock()
}

// BumpNow invalidates a tenant's campaign views in the store and says
// whether the store took it, skipping the breaker: it is the outbox's
// delivery, retried until it succeeds. A success also clears a bump this
// process kept pending for the campaign.
func (v *Views) BumpNow(ctx context.Context, tenantID, campaignID int64) error {
	if _, err := v.Store.InitIncr(ctx, v.Prefix+VersionKey(tenantID, campaignID), v.epoch()); err != nil {
		return err
	}
	v.gen.Add(1)
	v.mu.Lock()
	if _, ok := v.pending[[2]int64{tenantID, campaignID}]; ok {
		delete(v.pending, [2]int64{tenantID, campaignID})
		v.npending.Store(int32(len(v.pending)))
	}
	v.mu.Unlock()
	return nil
}

// Version returns the current version of a tenant's campaign views.
func (v *Views) Version(ctx context.Context, tenantID, campaignID int64) (int64, error) {
	return v.Store.InitInt(ctx, v.Prefix+VersionKey(tenantID, campaignID), v.epoch())
}

// flushPending retries failed bumps; it reports whether none is left.
func (v *Views) flushPending(ctx context.Context) bool {
	if v.npending.Load() == 0 {
		return true
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	for k := range v.pending {
		if _, err := v.Store.InitIncr(ctx, v.Prefix+VersionKey(k[0], k[1]), v.epoch()); err != nil {
			v.failed(err)
			return false
		}
		delete(v.pending, k)
		v.npending.Store(int32(len(v.pending)))
	}
	return true
}

// isPending reports whether a bump of the campaign has not reached the store.
func (v *Views) isPending(tenantID, campaignID int64) bool {
	if v.npending.Load() == 0 {
		return false
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.pending[[2]int64{tenantID, campaignID}]
	return ok
}

func (v *Views) localGet(key string) (any, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	val, ok := v.local[key]
	return val, ok
}

func (v *Views) localPut(key string, val any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.local == nil {
		v.local = map[string]any{}
	}
	if _, ok := v.local[key]; ok {
		return
	}
	if len(v.localOrder) >= maxLocal {
		delete(v.local, v.localOrder[0])
		v.localOrder = v.localOrder[1:]
	}
	v.local[key] = val
	v.localOrder = append(v.localOrder, key)
}

// Get returns the decoded view: from this process's copy or the store when
// they hold the current version, else from load, which it then stores.
// Concurrent misses of one view share one load and one decode (per
// process). When the store fails the view is loaded from the database
// directly and the outcome is Fallback. A stored value that decode refuses
// is counted as an error and replaced by a fresh load. Get returns load's
// or decode's error, or the context's when it ends first.
func (v *Views) Get(ctx context.Context, view View, load Loader, decode Decoder) (any, Outcome, error) {
	if !v.available() || !v.flushPending(ctx) || v.isPending(view.TenantID, view.CampaignID) {
		return v.fallback(ctx, view, load, decode)
	}
	vkey := v.Prefix + VersionKey(view.TenantID, view.CampaignID)
	ver, err := v.Store.Int(ctx, vkey)
	if err == nil && ver == 0 {
		ver, err = v.Store.InitInt(ctx, vkey, v.epoch())
	}
	if err != nil {
		v.failed(err)
		return v.fallback(ctx, view, load, decode)
	}
	key := v.Prefix + Key(view.TenantID, view.CampaignID, view.Period, view.Scope, ver)
	if val, ok := v.localGet(key); ok {
		v.succeeded()
		v.Stats.Hits.Add(1)
		return val, Hit, nil
	}
	b, ok, err := v.Store.Get(ctx, key)
	if err != nil {
		v.failed(err)
		return v.fallback(ctx, view, load, decode)
	}
	v.succeeded()
	if ok {
		if val, err := decode(b); err == nil {
			v.localPut(key, val)
			v.Stats.Hits.Add(1)
			return val, Hit, nil
		}
		v.Stats.Errors.Add(1)
	}
	v.Stats.Misses.Add(1)
	val, err := v.shared(ctx, key, func(ctx context.Context) (any, error) {
		// A caller that missed just before the previous load stored the
		// view starts a new flight: look again before loading.
		if val, ok := v.localGet(key); ok {
			return val, nil
		}
		if b, ok, err := v.Store.Get(ctx, key); err == nil && ok {
			if val, err := decode(b); err == nil {
				v.localPut(key, val)
				return val, nil
			}
		}
		v.Stats.Loads.Add(1)
		b, err := load(ctx)
		if err != nil {
			return nil, err
		}
		val, err := decode(b)
		if err != nil {
			return nil, err
		}
		if err := v.Store.Set(ctx, key, b, v.TTL); err != nil {
			v.failed(err)
		} else {
			v.localPut(key, val)
		}
		return val, nil
	})
	return val, Miss, err
}

func (v *Views) fallback(ctx context.Context, view View, load Loader, decode Decoder) (any, Outcome, error) {
	v.Stats.Fallbacks.Add(1)
	key := "fallback:" + strconv.FormatInt(v.gen.Load(), 10) + ":" + Key(view.TenantID, view.CampaignID, view.Period, view.Scope, 0)
	val, err := v.shared(ctx, key, func(ctx context.Context) (any, error) {
		v.Stats.Loads.Add(1)
		b, err := load(ctx)
		if err != nil {
			return nil, err
		}
		return decode(b)
	})
	return val, Fallback, err
}

// shared runs load once for all concurrent callers with the same key. The
// load outlives a caller that gives up (it serves the others), bounded by
// 30 s; each caller waits at most until its own context ends.
func (v *Views) shared(ctx context.Context, key string, load func(ctx context.Context) (any, error)) (any, error) {
	ch := v.sf.DoChan(key, func() (any, error) {
		lctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		return load(lctx)
	})
	select {
	case res := <-ch:
		return res.Val, res.Err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// errSkipped answers counter reads while the breaker skips the store.
var errSkipped = errors.New("cache: store skipped after errors")

// Int reads a counter through the breaker, so that other users of the
// shared store (the sign-in token cache) fail fast while Redis is down
// instead of waiting for a timeout on every request.
func (v *Views) Int(ctx context.Context, key string) (int64, error) {
	if !v.available() {
		return 0, errSkipped
	}
	n, err := v.Store.Int(ctx, key)
	if err != nil {
		v.failed(err)
		return 0, err
	}
	v.succeeded()
	return n, nil
}

// Incr increments a counter through the breaker.
func (v *Views) Incr(ctx context.Context, key string) (int64, error) {
	if !v.available() {
		return 0, errSkipped
	}
	n, err := v.Store.Incr(ctx, key)
	if err != nil {
		v.failed(err)
		return 0, err
	}
	v.succeeded()
	return n, nil
}
