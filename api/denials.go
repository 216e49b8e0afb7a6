package api

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
)

// DefaultDenialBurst is how many refused requests (403 or 404) of one user
// in one hour make a burst: logged as a warning and counted in
// chuyenhoa_access_denied_bursts_total, which an alert watches.
const DefaultDenialBurst = 50

// denialMetrics are the series of refused requests; their labels are the
// kind only, so a flood cannot grow them.
type denialMetrics struct {
	total  *prometheus.CounterVec
	bursts *prometheus.CounterVec
}

func newDenialMetrics(reg *prometheus.Registry) *denialMetrics {
	m := &denialMetrics{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chuyenhoa_access_denied_total", Help: "Requests of signed-in users refused with 403 (forbidden) or 404 (not_found), by kind.",
		}, []string{"kind"}),
		bursts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "chuyenhoa_access_denied_bursts_total", Help: "Times a user's refused requests in one hour reached a multiple of the burst threshold, by kind.",
		}, []string{"kind"}),
	}
	reg.MustRegister(m.total, m.bursts)
	return m
}

// countDenial counts a 403 or 404 answered to a signed-in user: one row per
// user, hour and kind (audit.CountDenial) instead of an audit entry per
// request, so a token holder probing or flooding cannot grow the audit
// log; a burst is logged and counted for the alert. Anonymous requests
// are not counted (they have no user to count against).
func (s *Server) countDenial(c echo.Context, status int) {
	kind := audit.DenialForbidden
	if status == http.StatusNotFound {
		kind = audit.DenialNotFound
	}
	u := identity.UserFromContext(c.Request().Context())
	if u == nil || s.opts.DB == nil {
		return
	}
	s.denials.total.WithLabelValues(kind).Inc()
	// The request's context may be over (timeout) by the time its error
	// is answered; the count is written anyway.
	ctx := context.WithoutCancel(c.Request().Context())
	detail := c.Request().Method + " " + c.Path()
	n, err := audit.CountDenial(ctx, s.opts.DB, u.ID, u.Unit, kind, detail, s.opts.Now())
	if err != nil {
		s.log.WarnContext(ctx, "count denial", slog.String("request_id", requestID(c)), slog.String("error", err.Error()))
		return
	}
	burst := int64(s.opts.DenialBurst)
	if burst <= 0 {
		burst = DefaultDenialBurst
	}
	if n%burst == 0 {
		s.denials.bursts.WithLabelValues(kind).Inc()
		s.log.WarnContext(ctx, "access denials burst", slog.Int64("user_id", u.ID), slog.Int64("unit_id", u.HomeUnitID()),
			slog.String("kind", kind), slog.Int64("count_this_hour", n), slog.String("last", detail), slog.String("request_id", requestID(c)))
	}
}

// deniedCounts answers GET /api/v1/audit/denials: the per-hour counters of
// the users inside the caller's scope.
func (s *Server) deniedCounts(c echo.Context) error {
	limit, _, err := paging(c)
	if err != nil {
		return err
	}
	var since *timeT
	if v := c.QueryParam("from"); v != "" {
		t, err := parseTime(v)
		if err != nil {
			return domain.Invalid("Tham số không hợp lệ", map[string]string{"from": "phải là thời điểm RFC 3339 (2024-03-13T00:00:00+07:00) hoặc ngày YYYY-MM-DD"})
		}
		since = &t
	}
	list, err := audit.FindDenials(c.Request().Context(), s.opts.DB, since, limit)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, List[*audit.Denials]{Items: list})
}
