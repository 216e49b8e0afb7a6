package api

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptrace/bun"

	"chuyenhoa/store/cache"
	"chuyenhoa/store/compare"
	"chuyenhoa/store/outbox"
)

// Metrics are the Prometheus series of one server, in a registry of its
// own (two servers in one process, as in tests, do not collide). The names
// and labels are the contract of deploy/prometheus/alerts.yaml.
type Metrics struct {
	Registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.GaugeFunc
	// degraded is 1 for an optional dependency (Redis) that /readyz found
	// unreachable at its last call, 0 once it answers again.
	degraded *prometheus.GaugeVec
	// flying counts the requests being served, for the shutdown log.
	flying atomic.Int64
}

// newMetrics registers the HTTP series, the view cache's counters, the
// missing-reports gauge (read from the database at most every 30 s) and
// the Go and process collectors.
func newMetrics(views *cache.Views, db *bun.DB, now func() time.Time, log *slog.Logger) *Metrics {
	m := &Metrics{Registry: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "chuyenhoa_http_requests_total", Help: "HTTP requests served, by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "chuyenhoa_http_request_duration_seconds", Help: "HTTP request latency, by route pattern and method.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	m.inFlight = prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "chuyenhoa_http_requests_in_flight", Help: "HTTP requests being served.",
	}, func() float64 { return float64(m.flying.Load()) })
	m.degraded = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "chuyenhoa_dependency_degraded", Help: "1 when an optional dependency (Redis) was unreachable at the last readiness check: the service answers from the database.",
	}, []string{"dependency"})
	m.Registry.MustRegister(m.requests, m.duration, m.inFlight, m.degraded, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if views != nil {
		counter := func(name, help string, v func() int64) prometheus.CounterFunc {
			return prometheus.NewCounterFunc(prometheus.CounterOpts{Name: name, Help: help}, func() float64 { return float64(v()) })
		}
		st := &views.Stats
		m.Registry.MustRegister(
			counter("chuyenhoa_cache_hits_total", "Views served from the cache.", st.Hits.Load),
			counter("chuyenhoa_cache_misses_total", "Views absent from the cache, loaded from the database and stored.", st.Misses.Load),
			counter("chuyenhoa_cache_errors_total", "Failed cache (Redis) calls and refused cached values.", st.Errors.Load),
			counter("chuyenhoa_cache_fallback_total", "Views served from the database because the cache (Redis) failed.", st.Fallbacks.Load),
			counter("chuyenhoa_cache_loads_total", "Database loads behind the views (concurrent misses share one).", st.Loads.Load),
			counter("chuyenhoa_cache_bumps_total", "View version bumps asked for by writes.", st.Bumps.Load),
		)
	}
	if db != nil {
		// go_sql_* series: open, in-use and idle connections, waits for a
		// free one (a pool too small or a database too slow).
		m.Registry.MustRegister(&missingCollector{db: db, now: now, log: log}, collectors.NewDBStatsCollector(db.DB, "chuyenhoa"), &outboxCollector{db: db, log: log})
	}
	return m
}

// handler serves the registry in the Prometheus text format.
func (m *Metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
}

// middleware counts and times every request by its route pattern. It runs
// outside Recover and the request logger, which have written the response
// (errors included) by the time it reads the status.
func (m *Metrics) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		m.flying.Add(1)
		defer m.flying.Add(-1)
		err := next(c)
		status := c.Response().Status
		if err != nil && !c.Response().Committed {
			// Not handled below: echo's error handler will answer it.
			if he, ok := err.(*echo.HTTPError); ok {
				status = he.Code
			} else {
				status = http.StatusInternalServerError
			}
		}
		route := c.Path()
		if route == "" || status == http.StatusNotFound && (route == "/*" || route == "/api/*") {
			route = "unmatched" // unknown paths would make unbounded label values
		}
		method := methodLabel(c.Request().Method)
		m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		m.duration.WithLabelValues(route, method).Observe(time.Since(start).Seconds())
		return err
	}
}

// methodLabel bounds the method label: any client may send any token as
// the method, and each new one would be a new series.
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// InFlight returns the number of requests being served.
func (m *Metrics) InFlight() int64 { return m.flying.Load() }

var missingDesc = prometheus.NewDesc("chuyenhoa_reports_missing",
	"Reports owed by active target areas and not yet sent, for periods whose last on-time day is period_due (today or tomorrow), per province code.",
	[]string{"period_due", "tenant"}, nil)

// missingCollector reads the missing reports from the database on scrape,
// at most every 30 s.
type missingCollector struct {
	db   *bun.DB
	now  func() time.Time
	log  *slog.Logger
	mu   sync.Mutex
	at   time.Time
	last []compare.Missing
}

func (c *missingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- missingDesc }

func (c *missingCollector) Collect(ch chan<- prometheus.Metric) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > 30*time.Second {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		ms, err := compare.MissingReports(ctx, c.db, c.now())
		cancel()
		if err != nil {
			c.log.Warn("metrics: missing reports", slog.String("error", err.Error()))
		} else {
			c.last, c.at = ms, time.Now()
		}
	}
	for _, m := range c.last {
		ch <- prometheus.MustNewConstMetric(missingDesc, prometheus.GaugeValue, float64(m.Count), m.Due, m.TenantCode)
	}
}

var (
	outboxPendingDesc = prometheus.NewDesc("chuyenhoa_outbox_pending", "Domain events committed and not yet delivered to every consumer (waiting or being retried).", nil, nil)
	outboxFailedDesc  = prometheus.NewDesc("chuyenhoa_outbox_failed", "Domain events given up on after every delivery attempt failed.", nil, nil)
)

// outboxCollector reads the undelivered events from the job queue on scrape.
type outboxCollector struct {
	db  *bun.DB
	log *slog.Logger
}

func (o *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxPendingDesc
	ch <- outboxFailedDesc
}

func (o *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c, err := outbox.Count(ctx, o.db)
	if err != nil {
		o.log.Warn("metrics: outbox counts", slog.String("error", err.Error()))
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxPendingDesc, prometheus.GaugeValue, float64(c.Pending))
	ch <- prometheus.MustNewConstMetric(outboxFailedDesc, prometheus.GaugeValue, float64(c.Failed))
}
