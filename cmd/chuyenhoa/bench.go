package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	vegeta "github.com/tsenart/vegeta/v12/lib"
	"github.com/uptrace/bun"

	"chuyenhoa/authz"
	"chuyenhoa/authz/identity"
	"chuyenhoa/cmd/chuyenhoa/config"
	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/store/compare"
	"chuyenhoa/tenants"
)

// benchCmd runs the benchmarks of a running server (issue 6). It only
// sends traffic to a loopback address and bounds every loop.
func benchCmd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "compare" {
		return fmt.Errorf("usage: chuyenhoa bench compare [flags]")
	}
	fs := flag.NewFlagSet("bench compare", flag.ContinueOnError)
	fs.SetOutput(stderr)
	b := &bench{out: stdout, log: stderr}
	fs.StringVar(&b.url, "url", "http://127.0.0.1:8080", "base URL of the running server (loopback only)")
	fs.StringVar(&b.redisURL, "redis", "", "the server's CHUYENHOA_REDIS_URL (bare GET baseline, version bumps)")
	fs.StringVar(&b.prefix, "prefix", "", "cache key prefix of the server (empty in production)")
	fs.StringVar(&b.provinceCode, "province", "", "province code whose view is read (default: the first province with a campaign)")
	fs.IntVar(&b.year, "year", 0, "campaign year (default: the latest)")
	fs.StringVar(&b.period, "period", domain.PeriodQ1, "period code")
	fs.IntVar(&b.rate, "rate", 2000, "requests per second of the load phases")
	fs.DurationVar(&b.duration, "duration", 10*time.Second, "length of each load phase (at most 60s)")
	fs.IntVar(&b.pid, "pid", 0, "server process id, to sample its RSS during the warm run")
	phases := fs.String("phases", "warm,cold,national,fresh", "phases to run: warm, cold, national, fresh, redis-stop")
	fs.BoolVar(&b.stopRedis, "stop-redis", false, "allow the redis-stop phase to SHUTDOWN the Redis at --redis (never port 6379)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if b.duration <= 0 || b.duration > time.Minute || b.rate <= 0 || b.rate > 20000 {
		return fmt.Errorf("bench: --duration must be in (0, 60s] and --rate in (0, 20000]")
	}
	u, err := url.Parse(b.url)
	if err != nil {
		return err
	}
	if ip := net.ParseIP(u.Hostname()); u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("bench: --url must be a loopback address, got %s", u.Hostname())
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	db, err := openDB(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	b.db = db
	if b.redisURL != "" {
		opt, err := redis.ParseURL(b.redisURL)
		if err != nil {
			return err
		}
		b.rdb = redis.NewClient(opt)
		defer b.rdb.Close()
		redis.SetLogger(redisLogger{slog.New(slog.NewTextHandler(io.Discard, nil))})
	}
	if err := b.prepare(ctx); err != nil {
		return err
	}
	for _, p := range strings.Split(*phases, ",") {
		var err error
		switch strings.TrimSpace(p) {
		case "warm":
			err = b.warm(ctx)
		case "baseline":
			err = b.baseline(ctx)
		case "cold":
			err = b.cold(ctx)
		case "national":
			err = b.national(ctx)
		case "fresh":
			err = b.fresh(ctx)
		case "redis-stop":
			err = b.redisStop(ctx)
		case "":
		default:
			err = fmt.Errorf("unknown phase %q", p)
		}
		if err != nil {
			return fmt.Errorf("bench %s: %w", p, err)
		}
	}
	return nil
}

type bench struct {
	out, log     io.Writer
	url          string
	redisURL     string
	prefix       string
	provinceCode string
	year         int
	period       string
	rate         int
	duration     time.Duration
	pid          int
	stopRedis    bool

	db       *bun.DB
	rdb      *redis.Client
	province *tenants.Unit
	campaign int64
	token    string
	client   *http.Client
}

func (b *bench) printf(format string, args ...any) { fmt.Fprintf(b.out, format, args...) }

// prepare picks the province and campaign and signs in a bench user of
// that province (created on first use).
func (b *bench) prepare(ctx context.Context) error {
	actx := tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
	q := b.db.NewSelect().TableExpr("campaigns AS c").Join("JOIN units AS u ON u.id = c.province_id").ColumnExpr("c.id, u.id, c.year")
	if b.provinceCode != "" {
		q = q.Where("u.code = ?", b.provinceCode)
	}
	if b.year != 0 {
		q = q.Where("c.year = ?", b.year)
	}
	var pid int64
	if err := q.OrderExpr("c.year DESC, u.code").Limit(1).Scan(ctx, &b.campaign, &pid, &b.year); err != nil {
		return fmt.Errorf("no campaign found (run chuyenhoa seed synthetic first): %w", err)
	}
	var err error
	if b.province, err = tenants.FindUnitByID(actx, b.db, pid); err != nil {
		return err
	}
	enf, err := authz.New(actx, b.db)
	if err != nil {
		return err
	}
	ids := &identity.Service{DB: b.db, Grants: enf, Hasher: identity.NewHasher(identity.DefaultParams, 0)}
	name, pw := "bench.province."+b.province.Code, "bench-password-"+b.province.Code
	if _, err := ids.CreateUser(actx, identity.NewUser{Username: name, FullName: "Benchmark " + b.province.Name, UnitID: &pid,
		Roles: []string{authz.RoleProvince}, Password: pw}); err != nil && domain.ErrorCode(err) != domain.ECONFLICT {
		return err
	}
	if _, b.token, err = ids.Login(actx, name, pw, "127.0.0.1"); err != nil {
		return err
	}
	b.client = &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	rows, _ := b.db.NewSelect().Table("target_areas").Where("campaign_id = ?", b.campaign).Count(ctx)
	b.printf("## Setup\n\nprovince %s %s (unit %d), campaign %d (%d), period %s: %d target areas; server %s, Redis %s\n\n",
		b.province.Code, b.province.Name, b.province.ID, b.campaign, b.year, b.period, rows, b.url, redactURL(b.redisURL))
	return nil
}

func redactURL(s string) string {
	if u, err := url.Parse(s); err == nil {
		return u.Redacted()
	}
	return "(bad url)"
}

func (b *bench) viewURL() string {
	return fmt.Sprintf("%s/api/v1/campaigns/%d/compare?period=%s", b.url, b.campaign, b.period)
}

// get reads the province view once and returns its body and X-Cache.
func (b *bench) get(ctx context.Context) ([]byte, string, time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.viewURL(), nil)
	if err != nil {
		return nil, "", 0, err
	}
	req.Header.Set("Authorization", "Bearer "+b.token)
	start := time.Now()
	res, err := b.client.Do(req)
	if err != nil {
		return nil, "", 0, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	d := time.Since(start)
	if res.StatusCode != http.StatusOK {
		return nil, "", d, fmt.Errorf("GET %s: %d %s", b.viewURL(), res.StatusCode, body)
	}
	return body, res.Header.Get("X-Cache"), d, err
}

// bump invalidates the province's views, as a writer does.
func (b *bench) bump(ctx context.Context) error {
	if b.rdb == nil {
		return errors.New("--redis is needed")
	}
	return b.rdb.Incr(ctx, b.prefix+cache.VersionKey(b.province.ID, b.campaign)).Err()
}

// latencies are exact percentiles of a set of durations.
type latencies []time.Duration

func (l latencies) pct(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := int(p/100*float64(len(s)) + 0.5)
	return s[min(max(i-1, 0), len(s)-1)]
}

func ms(d time.Duration) string { return strconv.FormatFloat(float64(d)/1e6, 'f', 3, 64) + " ms" }

// attack runs vegeta against the view at b.rate for d and returns the
// results; during it sample is called every 100 ms.
func (b *bench) attack(d time.Duration, name string, sample func()) []*vegeta.Result {
	return b.attackURL(b.viewURL(), d, name, sample)
}

func (b *bench) attackURL(target string, d time.Duration, name string, sample func()) []*vegeta.Result {
	hdr := http.Header{}
	hdr.Set("Authorization", "Bearer "+b.token)
	tr := vegeta.NewStaticTargeter(vegeta.Target{Method: http.MethodGet, URL: target, Header: hdr})
	at := vegeta.NewAttacker(vegeta.Workers(64), vegeta.MaxWorkers(512), vegeta.Connections(512), vegeta.Timeout(5*time.Second), vegeta.KeepAlive(true))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	if sample != nil {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				select {
				case <-stop:
					return
				case <-t.C:
					sample()
				}
			}
		}()
	}
	var out []*vegeta.Result
	for r := range at.Attack(tr, vegeta.Rate{Freq: b.rate, Per: time.Second}, d, name) {
		r.Body = nil
		out = append(out, r)
	}
	close(stop)
	wg.Wait()
	return out
}

type attackSummary struct {
	n, ok       int
	codes       map[int]int
	errs        map[string]int
	lat         latencies
	throughput  float64
	first, last time.Time
}

func summarise(rs []*vegeta.Result) attackSummary {
	s := attackSummary{codes: map[int]int{}, errs: map[string]int{}}
	for _, r := range rs {
		s.n++
		s.codes[int(r.Code)]++
		if r.Error != "" {
			s.errs[r.Error]++
		}
		if r.Code == http.StatusOK && r.Error == "" {
			s.ok++
		}
		s.lat = append(s.lat, r.Latency)
		if s.first.IsZero() || r.Timestamp.Before(s.first) {
			s.first = r.Timestamp
		}
		if end := r.Timestamp.Add(r.Latency); end.After(s.last) {
			s.last = end
		}
	}
	if d := s.last.Sub(s.first).Seconds(); d > 0 {
		s.throughput = float64(s.ok) / d
	}
	return s
}

func (s attackSummary) line() string {
	return fmt.Sprintf("%d requests, %d OK (%d failed), %.0f OK/s; p50 %s, p90 %s, p99 %s, max %s; status %v",
		s.n, s.ok, s.n-s.ok, s.throughput, ms(s.lat.pct(50)), ms(s.lat.pct(90)), ms(s.lat.pct(99)), ms(s.lat.pct(100)), s.codes)
}

func rssKB(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return n
		}
	}
	return 0
}

// warm measures the cached province view under load, then a bare Redis
// GET of a value of the same size at the same rate.
func (b *bench) warm(ctx context.Context) error {
	body, xc, _, err := b.get(ctx)
	if err != nil {
		return err
	}
	if _, xc, _, err = b.get(ctx); err != nil || xc != "hit" {
		return fmt.Errorf("second read is %q (%v), want a hit: is the cache configured?", xc, err)
	}
	var res compare.Result
	json.Unmarshal(body, &res)
	b.printf("## Warm province view\n\nresponse %d bytes, %d rows; %d req/s for %s\n\n", len(body), len(res.Rows), b.rate, b.duration)
	var maxRSS, rssSamples int
	var rssSum int
	sample := func() {
		if b.pid > 0 {
			if r := rssKB(b.pid); r > 0 {
				maxRSS = max(maxRSS, r)
				rssSum += r
				rssSamples++
			}
		}
	}
	sample()
	s := summarise(b.attack(b.duration, "warm", sample))
	b.printf("- HTTP: %s\n", s.line())
	if rssSamples > 0 {
		b.printf("- server RSS during the run: max %.1f MB, mean %.1f MB (%d samples)\n", float64(maxRSS)/1024, float64(rssSum)/float64(rssSamples)/1024, rssSamples)
	}
	if b.rdb == nil {
		return nil
	}
	// The bare GET reads the cached value itself: the same key and size.
	ver, err := b.rdb.Get(ctx, b.prefix+cache.VersionKey(b.province.ID, b.campaign)).Int64()
	if err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	key := b.prefix + cache.Key(b.province.ID, b.campaign, b.period, "u"+strconv.FormatInt(b.province.ID, 10), ver)
	val, err := b.rdb.Get(ctx, key).Bytes()
	if err != nil {
		return fmt.Errorf("cached value %s: %w", key, err)
	}
	rl := b.redisLoad(ctx, key)
	b.printf("- bare Redis GET of the cached value (%d bytes) at the same rate, 64 workers: %d GETs, p50 %s, p99 %s, max %s\n",
		len(val), len(rl), ms(rl.pct(50)), ms(rl.pct(99)), ms(rl.pct(100)))
	b.printf("- ratio HTTP/Redis: p50 %.1f×, p99 %.1f×\n\n", float64(s.lat.pct(50))/float64(max(rl.pct(50), 1)), float64(s.lat.pct(99))/float64(max(rl.pct(99), 1)))
	return nil
}

// redisLoad GETs key at b.rate for b.duration from 64 workers.
func (b *bench) redisLoad(ctx context.Context, key string) latencies {
	n := b.rate * int(b.duration/time.Second)
	ticks := make(chan time.Time, 1024)
	var mu sync.Mutex
	var out latencies
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine latencies
			for range ticks {
				start := time.Now()
				b.rdb.Get(ctx, key).Bytes()
				mine = append(mine, time.Since(start))
			}
			mu.Lock()
			out = append(out, mine...)
			mu.Unlock()
		}()
	}
	start := time.Now()
	interval := time.Second / time.Duration(b.rate)
	for i := range n {
		if d := time.Until(start.Add(time.Duration(i) * interval)); d > 0 {
			time.Sleep(d)
		}
		ticks <- time.Now()
	}
	close(ticks)
	wg.Wait()
	return out
}

// baseline loads what every authenticated API request costs: /healthz
// (the HTTP stack alone) and /api/v1/me (plus token sign-in: two database
// queries), at the same rate.
func (b *bench) baseline(ctx context.Context) error {
	b.printf("## Baseline at %d req/s for %s\n\n", b.rate, b.duration)
	b.printf("- GET /healthz (no auth): %s\n", summarise(b.attackURL(b.url+"/healthz", b.duration, "healthz", nil)).line())
	b.printf("- GET /api/v1/me (bearer token): %s\n\n", summarise(b.attackURL(b.url+"/api/v1/me", b.duration, "me", nil)).line())
	return nil
}

// cold times the province view right after a version bump (a miss that
// loads from the database), 20 times.
func (b *bench) cold(ctx context.Context) error {
	var lat latencies
	for range 20 {
		if err := b.bump(ctx); err != nil {
			return err
		}
		_, xc, d, err := b.get(ctx)
		if err != nil {
			return err
		}
		if xc != "miss" {
			return fmt.Errorf("read after a bump is %q, want miss", xc)
		}
		lat = append(lat, d)
	}
	// The database part alone, in this process.
	sctx := tenants.NewContextWithScope(ctx, tenants.Scope{UnitID: b.province.ID, TenantID: b.province.ID, Path: b.province.Path})
	var dbLat latencies
	var rows int
	for range 20 {
		start := time.Now()
		snap, err := compare.LoadSnapshot(sctx, b.db, b.campaign, b.period)
		if err != nil {
			return err
		}
		v := domain.BuildComparison(snap.Inputs(time.Now()), domain.CompareQuery{})
		json.Marshal(v)
		dbLat = append(dbLat, time.Since(start))
		rows = len(v.Rows)
	}
	b.printf("## Cold province view\n\n- HTTP after a bump (20 reads, each a miss): p50 %s, p99 %s, max %s\n", ms(lat.pct(50)), ms(lat.pct(99)), ms(lat.pct(100)))
	b.printf("- of which load + build + encode in-process (%d rows): p50 %s, max %s\n\n", rows, ms(dbLat.pct(50)), ms(dbLat.pct(100)))
	return nil
}

// national times the national view of the campaign year (every province)
// built from the database: there is no national endpoint yet, so it is
// measured in-process (load, build, encode).
func (b *bench) national(ctx context.Context) error {
	actx := tenants.NewContextWithScope(ctx, tenants.Scope{All: true})
	var lat, loadLat latencies
	var rows, size int
	for range 10 {
		start := time.Now()
		in, err := compare.LoadNational(actx, b.db, b.year, b.period)
		if err != nil {
			return err
		}
		loadLat = append(loadLat, time.Since(start))
		v := domain.BuildComparison(in, domain.CompareQuery{})
		out, _ := json.Marshal(v)
		lat = append(lat, time.Since(start))
		rows, size = len(v.Rows), len(out)
	}
	b.printf("## Cold national view\n\n- %d target areas of %d, period %s, %d bytes of JSON; 10 runs: load p50 %s; load + build + encode p50 %s, max %s\n\n",
		rows, b.year, b.period, size, ms(loadLat.pct(50)), ms(lat.pct(50)), ms(lat.pct(100)))
	return nil
}

// fresh changes a stored evaluation as the report store does, bumps the
// views as writers do, and checks that the very next read shows it.
func (b *bench) fresh(ctx context.Context) error {
	body, _, _, err := b.get(ctx)
	if err != nil {
		return err
	}
	var res compare.Result
	if err := json.Unmarshal(body, &res); err != nil {
		return err
	}
	var ta int64
	var orig int
	for _, r := range res.Rows {
		if r.ReportStatus != domain.CompareReportMissing {
			ta, orig = r.TargetAreaID, r.MetCount
			break
		}
	}
	if ta == 0 {
		return errors.New("no reported row to change")
	}
	fresh, total := 0, 20
	var lat latencies
	for i := range total {
		met := (orig + 1 + i) % 8
		if _, err := b.db.NewUpdate().Table("evaluations").Set("met_count = ?", met).Where("target_area_id = ? AND period = ?", ta, b.period).Exec(ctx); err != nil {
			return err
		}
		start := time.Now()
		if err := b.bump(ctx); err != nil {
			return err
		}
		body, _, _, err := b.get(ctx)
		if err != nil {
			return err
		}
		lat = append(lat, time.Since(start))
		var r compare.Result
		json.Unmarshal(body, &r)
		for _, row := range r.Rows {
			if row.TargetAreaID == ta && row.MetCount == met {
				fresh++
			}
		}
	}
	b.db.NewUpdate().Table("evaluations").Set("met_count = ?", orig).Where("target_area_id = ? AND period = ?", ta, b.period).Exec(ctx)
	b.bump(ctx)
	b.printf("## Freshness\n\n- %d of %d reads right after a committed change + bump showed it; bump + next read p50 %s, max %s\n\n", fresh, total, ms(lat.pct(50)), ms(lat.pct(100)))
	if fresh != total {
		return fmt.Errorf("%d stale reads", total-fresh)
	}
	return nil
}

// redisStop runs the load and shuts the server's Redis down a third of the
// way through; every request must still succeed, from the database.
func (b *bench) redisStop(ctx context.Context) error {
	if !b.stopRedis || b.rdb == nil {
		return errors.New("needs --redis and --stop-redis")
	}
	if strings.HasSuffix(b.rdb.Options().Addr, ":6379") {
		return errors.New("refusing to stop the Redis on port 6379: start another one (redis-server --port 6390 --save '' --appendonly no)")
	}
	fallbackBefore := b.scrape("chuyenhoa_cache_fallback_total")
	stopAt := time.Now().Add(b.duration / 3)
	var once sync.Once
	var stopped time.Time
	rs := b.attack(b.duration, "redis-stop", func() {
		if time.Now().After(stopAt) {
			once.Do(func() {
				stopped = time.Now()
				b.rdb.Do(context.Background(), "SHUTDOWN", "NOSAVE")
			})
		}
	})
	var before, after []*vegeta.Result
	for _, r := range rs {
		if !stopped.IsZero() && r.Timestamp.After(stopped) {
			after = append(after, r)
		} else {
			before = append(before, r)
		}
	}
	b.printf("## Redis stopped under load\n\n- Redis shut down %s into a %s run at %d req/s\n", stopped.Sub(stopAt.Add(-b.duration/3)).Round(time.Millisecond), b.duration, b.rate)
	b.printf("- whole run: %s\n- before the stop: %s\n- after the stop: %s\n", summarise(rs).line(), summarise(before).line(), summarise(after).line())
	b.printf("- chuyenhoa_cache_fallback_total: %s → %s\n\n", fallbackBefore, b.scrape("chuyenhoa_cache_fallback_total"))
	return nil
}

// scrape reads one sample of the server's /metrics.
func (b *bench) scrape(sample string) string {
	res, err := b.client.Get(b.url + "/metrics")
	if err != nil {
		return "?"
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, sample+" "); ok {
			return v
		}
	}
	return "?"
}
