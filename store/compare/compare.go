// Package compare loads the province comparison view (SPEC §5) from the
// materialised evaluations and serves it through the shared view cache.
// The read path never sees raw report values: criteria are judged when a
// report changes (and stored in evaluations), not when a view is read.
package compare

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store/cache"
	"chuyenhoa/tenants"
)

// Snapshot is every target area of one scope for one campaign and period,
// as loaded from the database; it is what the cache holds. Filters, sort
// and paging are applied to it per request (domain.BuildComparison), so one
// cached snapshot serves every query of the scope.
type Snapshot struct {
	// TenantID is the province the rows belong to; a snapshot that comes
	// out of the cache is used only when it equals the caller's tenant.
	TenantID   int64  `json:"tenant_id"`
	CampaignID int64  `json:"campaign_id"`
	Period     string `json:"period"`
	// Scope names the subtree loaded ("u42", or "all" for the platform).
	Scope string `json:"scope"`
	// PeriodName and Due describe the period; Due decides at read time
	// whether an unsent report is missing or not yet due.
	PeriodName string      `json:"period_name"`
	Due        domain.Date `json:"due"`
	// PrevPeriod is the period the trend compares with ("" for none).
	PrevPeriod string                `json:"prev_period"`
	Rows       []domain.CompareInput `json:"rows"`
}

// Campaign is what the comparison needs of a campaign.
type Campaign struct {
	ID       int64
	TenantID int64
	Year     int
	Calendar []domain.Period
}

// ScopeKey names the cache scope of s: the unit whose subtree it is.
func ScopeKey(s tenants.Scope) string {
	if s.All {
		return "all"
	}
	return "u" + strconv.FormatInt(s.UnitID, 10)
}

// FindCampaign returns the campaign if it belongs to the tenant of the
// caller's scope (any tenant for the platform scope). It returns
// EFORBIDDEN without a scope and ENOTFOUND for another tenant's campaign.
func FindCampaign(ctx context.Context, db bun.IDB, campaignID int64) (*Campaign, error) {
	scope, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	var row struct {
		ID         int64  `bun:"id"`
		ProvinceID int64  `bun:"province_id"`
		Year       int    `bun:"year"`
		Calendar   []byte `bun:"calendar"`
	}
	q := db.NewSelect().Table("campaigns").Column("id", "province_id", "year", "calendar").Where("id = ?", campaignID)
	if !scope.All {
		q = q.Where("province_id = ?", scope.TenantID)
	}
	if err := q.Limit(1).Scan(ctx, &row); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("chương trình")
	} else if err != nil {
		return nil, err
	}
	c := &Campaign{ID: row.ID, TenantID: row.ProvinceID, Year: row.Year}
	if len(row.Calendar) > 0 {
		if err := json.Unmarshal(row.Calendar, &c.Calendar); err != nil {
			return nil, err
		}
	}
	if len(c.Calendar) == 0 {
		c.Calendar = domain.DefaultCalendar(c.Year)
	}
	return c, nil
}

// evalRow is one target area of the scope with its evaluations.
type evalRow struct {
	TargetAreaID int64          `bun:"target_area_id"`
	UnitID       int64          `bun:"unit_id"`
	UnitCode     string         `bun:"unit_code"`
	UnitName     string         `bun:"unit_name"`
	DistrictID   sql.NullInt64  `bun:"district_id"`
	DistrictName sql.NullString `bun:"district_name"`
	TargetStatus string         `bun:"target_status"`
	ReportStatus sql.NullString `bun:"report_status"`
	Timeliness   sql.NullString `bun:"timeliness"`
	MetCount     sql.NullInt64  `bun:"met_count"`
	C1           sql.NullString `bun:"c1"`
	C2           sql.NullString `bun:"c2"`
	C3           sql.NullString `bun:"c3"`
	C4           sql.NullString `bun:"c4"`
	C5           sql.NullString `bun:"c5"`
	C6           sql.NullString `bun:"c6"`
	C7           sql.NullString `bun:"c7"`
	PrevMetCount sql.NullInt64  `bun:"prev_met_count"`
}

// receivedStatuses are the report statuses of a report that has been sent.
var receivedStatuses = []string{domain.CompareReportSubmitted, domain.CompareReportReturned, domain.CompareReportAccepted}

// LoadSnapshot loads every target area of the campaign inside the caller's
// scope with the stored evaluation of the period and the number of
// criteria met in the previous period (from a sent report). The scope is
// part of the query; without one it fails closed with EFORBIDDEN. An
// unknown period is EINVALID, another tenant's campaign ENOTFOUND.
func LoadSnapshot(ctx context.Context, db bun.IDB, campaignID int64, period string) (*Snapshot, error) {
	scope, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	c, err := FindCampaign(ctx, db, campaignID)
	if err != nil {
		return nil, err
	}
	p, ok := domain.FindPeriod(c.Calendar, period)
	if !ok {
		return nil, domain.Invalid("Kỳ báo cáo không có trong lịch của chương trình", map[string]string{"period": "Không có kỳ “" + truncate(period, 20) + "” trong lịch của chương trình"})
	}
	snap := &Snapshot{TenantID: c.TenantID, CampaignID: c.ID, Period: p.Code, Scope: ScopeKey(scope), PeriodName: p.Name, Due: p.Due,
		Rows: []domain.CompareInput{}}
	prev, hasPrev := domain.PreviousPeriod(c.Calendar, period)
	prevJoin := "LEFT JOIN evaluations AS pe ON 1 = 0" // no previous period
	var prevArgs []any
	if hasPrev {
		snap.PrevPeriod = prev.Code
		prevJoin = "LEFT JOIN evaluations AS pe ON pe.target_area_id = ta.id AND pe.period = ? AND pe.report_status IN (?)"
		prevArgs = []any{prev.Code, bun.In(receivedStatuses)}
	}
	var rows []evalRow
	q := db.NewSelect().
		TableExpr("target_areas AS ta").
		ColumnExpr("ta.id AS target_area_id, ta.unit_id, u.code AS unit_code, u.name AS unit_name").
		ColumnExpr("d.id AS district_id, d.name AS district_name, ta.status AS target_status").
		ColumnExpr("e.report_status, e.timeliness, e.met_count, e.c1, e.c2, e.c3, e.c4, e.c5, e.c6, e.c7").
		ColumnExpr("pe.met_count AS prev_met_count").
		Join("JOIN units AS u ON u.id = ta.unit_id").
		Join("LEFT JOIN units AS pu ON pu.id = u.parent_id").
		Join("LEFT JOIN units AS d ON d.id = COALESCE(ta.district_id, pu.id) AND d.kind = 'district'").
		Join("LEFT JOIN evaluations AS e ON e.target_area_id = ta.id AND e.period = ?", p.Code).
		Join(prevJoin, prevArgs...).
		Where("ta.campaign_id = ?", c.ID)
	q = scope.WherePath(q, "u.path")
	if err := q.Scan(ctx, &rows); err != nil {
		return nil, err
	}
	for i := range rows {
		snap.Rows = append(snap.Rows, rows[i].input())
	}
	return snap, nil
}

func (r *evalRow) input() domain.CompareInput {
	in := domain.CompareInput{
		TargetAreaID: r.TargetAreaID, UnitID: r.UnitID, UnitCode: r.UnitCode, UnitName: r.UnitName,
		DistrictID: r.DistrictID.Int64, DistrictName: r.DistrictName.String, TargetStatus: r.TargetStatus,
		ReportStatus: domain.CompareReportMissing, Statuses: domain.NoReportStatuses(),
	}
	if r.ReportStatus.Valid {
		in.ReportStatus = r.ReportStatus.String
		in.Timeliness = r.Timeliness.String
	}
	// A draft is the unit's working copy, not data it has reported: the
	// province sees its criteria as missing until it is sent, so the table
	// and the averages (over received reports) agree.
	if r.ReportStatus.Valid && Received(r.ReportStatus.String) {
		in.MetCount = int(r.MetCount.Int64)
		for i, s := range []sql.NullString{r.C1, r.C2, r.C3, r.C4, r.C5, r.C6, r.C7} {
			in.Statuses[i] = s.String
			if in.Statuses[i] == "" {
				in.Statuses[i] = domain.CriterionMissing
			}
		}
	}
	if r.PrevMetCount.Valid {
		n := int(r.PrevMetCount.Int64)
		in.PrevMetCount = &n
	}
	return in
}

// Received reports whether a report with status has been sent.
func Received(status string) bool {
	for _, s := range receivedStatuses {
		if s == status {
			return true
		}
	}
	return false
}

// Inputs returns the snapshot's rows as of now: a report that has not been
// sent is missing once the period is due and not due before, whatever was
// stored when it was last saved, so a cached snapshot never goes stale
// when the due date passes.
func (s *Snapshot) Inputs(now time.Time) []domain.CompareInput {
	p := domain.Period{Due: s.Due}
	unsent := domain.Timeliness(p, time.Time{}, now)
	out := make([]domain.CompareInput, len(s.Rows))
	for i, r := range s.Rows {
		if !Received(r.ReportStatus) {
			r.Timeliness = unsent
		}
		out[i] = r
	}
	return out
}

// Result is the comparison view answered to the API.
type Result struct {
	CampaignID int64       `json:"campaign_id"`
	Period     string      `json:"period"`
	PeriodName string      `json:"period_name"`
	Due        domain.Date `json:"due"`
	PrevPeriod string      `json:"prev_period,omitempty"`
	// Scope is the caller's subtree ("u42").
	Scope string `json:"scope"`
	// Source is hit, miss or fallback: where the snapshot came from (the
	// X-Cache header, not part of the body).
	Source cache.Outcome `json:"-"`
	domain.Comparison
}

// Service serves comparison views through the view cache.
type Service struct {
	DB    bun.IDB
	Views *cache.Views
	// Now is the clock (time.Now when nil).
	Now func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// maxRendered bounds the answers kept per cached snapshot.
const maxRendered = 64

// cached is a decoded snapshot as the view cache keeps it in process,
// with the JSON answers already rendered from it, by query.
type cached struct {
	snap     *Snapshot
	mu       sync.Mutex
	rendered map[string][]byte
}

// Compare returns the comparison of the campaign and period at the
// caller's scope, filtered, sorted and paged by q (checked with
// domain.ValidateCompareQuery). It returns EFORBIDDEN without a scope,
// ENOTFOUND for a campaign outside the caller's tenant and EINVALID for a
// bad query or period.
func (s *Service) Compare(ctx context.Context, campaignID int64, period string, q domain.CompareQuery) (*Result, error) {
	if err := domain.ValidateCompareQuery(q); err != nil {
		return nil, err
	}
	c, out, err := s.snapshot(ctx, campaignID, period)
	if err != nil {
		return nil, err
	}
	return s.result(c.snap, out, q), nil
}

func (s *Service) result(snap *Snapshot, out cache.Outcome, q domain.CompareQuery) *Result {
	return &Result{CampaignID: snap.CampaignID, Period: snap.Period, PeriodName: snap.PeriodName, Due: snap.Due, PrevPeriod: snap.PrevPeriod,
		Scope: snap.Scope, Source: out, Comparison: domain.BuildComparison(snap.Inputs(s.now()), q)}
}

// CompareJSON is Compare rendered as JSON. The answer to one query of one
// cached version is rendered once per process and then reused, so a warm
// read costs the version look-up and a map look-up.
func (s *Service) CompareJSON(ctx context.Context, campaignID int64, period string, q domain.CompareQuery) ([]byte, cache.Outcome, error) {
	if err := domain.ValidateCompareQuery(q); err != nil {
		return nil, "", err
	}
	c, out, err := s.snapshot(ctx, campaignID, period)
	if err != nil {
		return nil, "", err
	}
	now := s.now()
	// Unsent reports turn from not due to missing at the due date, so the
	// answer depends on which side of it now is.
	key := queryKey(q) + "|" + domain.Timeliness(domain.Period{Due: c.snap.Due}, time.Time{}, now)
	// A fallback's snapshot is shared only by the requests that joined its
	// load, so its answers can be kept on it like a cached one's.
	c.mu.Lock()
	b, ok := c.rendered[key]
	c.mu.Unlock()
	if ok {
		return b, out, nil
	}
	b, err = json.Marshal(s.result(c.snap, out, q))
	if err != nil {
		return nil, "", err
	}
	c.mu.Lock()
	if c.rendered == nil {
		c.rendered = map[string][]byte{}
	}
	if len(c.rendered) < maxRendered {
		c.rendered[key] = b
	}
	c.mu.Unlock()
	return b, out, nil
}

func queryKey(q domain.CompareQuery) string {
	var b strings.Builder
	if q.DistrictID != nil {
		b.WriteString("d" + strconv.FormatInt(*q.DistrictID, 10))
	}
	b.WriteByte('|')
	if q.TargetStatus != nil {
		b.WriteString(*q.TargetStatus)
	}
	b.WriteByte('|')
	if q.ReportStatus != nil {
		b.WriteString(*q.ReportStatus)
	}
	b.WriteByte('|')
	if q.CriterionNotMet != nil {
		b.WriteString(strconv.Itoa(*q.CriterionNotMet))
	}
	b.WriteString("|" + q.Sort + "|" + strconv.FormatBool(q.Desc) + "|" + strconv.Itoa(q.Limit) + "|" + strconv.Itoa(q.Offset))
	return b.String()
}

// Snapshot returns the snapshot of the caller's scope, from the cache when
// it holds the current version. A cached snapshot of another tenant,
// campaign, period or scope is refused and reloaded.
func (s *Service) Snapshot(ctx context.Context, campaignID int64, period string) (*Snapshot, cache.Outcome, error) {
	c, out, err := s.snapshot(ctx, campaignID, period)
	if err != nil {
		return nil, "", err
	}
	return c.snap, out, nil
}

func (s *Service) snapshot(ctx context.Context, campaignID int64, period string) (*cached, cache.Outcome, error) {
	scope, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, "", err
	}
	tenantID := scope.TenantID
	if scope.All {
		// The platform scope has no tenant of its own: the key takes the campaign's.
		c, err := FindCampaign(ctx, s.DB, campaignID)
		if err != nil {
			return nil, "", err
		}
		tenantID = c.TenantID
	}
	if tenantID == 0 {
		return nil, "", domain.Errorf(domain.EFORBIDDEN, "không xác định được tỉnh của người dùng")
	}
	if len(period) == 0 || len(period) > 16 {
		return nil, "", domain.Invalid("Kỳ báo cáo không hợp lệ", map[string]string{"period": "Cần mã kỳ báo cáo (Q1, 6T, Q3, NAM…)"})
	}
	view := cache.View{TenantID: tenantID, CampaignID: campaignID, Period: period, Scope: ScopeKey(scope)}
	matches := func(sn *Snapshot) bool {
		return sn.TenantID == view.TenantID && sn.CampaignID == view.CampaignID && sn.Period == view.Period && sn.Scope == view.Scope
	}
	decode := func(b []byte) (any, error) {
		sn := new(Snapshot)
		if err := json.Unmarshal(b, sn); err != nil {
			return nil, err
		}
		if !matches(sn) {
			return nil, fmt.Errorf("compare: cached snapshot of tenant %d campaign %d %s %s under the key of tenant %d",
				sn.TenantID, sn.CampaignID, sn.Period, sn.Scope, view.TenantID)
		}
		return &cached{snap: sn}, nil
	}
	load := func(ctx context.Context) ([]byte, error) {
		// The load may outlive the request that started it; it keeps its scope.
		sn, err := LoadSnapshot(ctx, s.DB, campaignID, period)
		if err != nil {
			return nil, err
		}
		return json.Marshal(sn)
	}
	val, out, err := s.Views.Get(ctx, view, load, decode)
	if err != nil {
		return nil, "", err
	}
	c, ok := val.(*cached)
	if !ok || !matches(c.snap) {
		// Never reached: decode checked it. Refuse rather than leak.
		return nil, "", domain.Errorf(domain.EINTERNAL, "compare: snapshot of another view served to tenant %d", tenantID)
	}
	return c, out, nil
}

// Bump invalidates the cached views of a tenant's campaign; writers call it
// after their transaction commits.
func (s *Service) Bump(ctx context.Context, tenantID, campaignID int64) {
	s.Views.Bump(ctx, tenantID, campaignID)
}

func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// Missing counts the reports of one province not yet sent for periods
// whose last on-time day is a given day.
type Missing struct {
	// TenantCode is the province's official code ("24").
	TenantCode string
	// Due is "today" or "tomorrow": the last on-time day of the period.
	Due   string
	Count int
}

// MissingReports counts, per province, the reports owed by active target
// areas and not yet sent for periods whose last on-time day (the day
// before Period.Due) is today or tomorrow in Vietnam. It reads every
// tenant: it feeds the platform's metrics, never a user's view.
func MissingReports(ctx context.Context, db bun.IDB, now time.Time) ([]Missing, error) {
	var cs []struct {
		ID       int64  `bun:"id"`
		Code     string `bun:"code"`
		Year     int    `bun:"year"`
		Calendar []byte `bun:"calendar"`
	}
	today := domain.DateOf(now)
	if err := db.NewSelect().TableExpr("campaigns AS c").Join("JOIN units AS u ON u.id = c.province_id").
		ColumnExpr("c.id, u.code, c.year, c.calendar").Where("c.year BETWEEN ? AND ?", today.Year-1, today.Year+1).Scan(ctx, &cs); err != nil {
		return nil, err
	}
	counts := map[[2]string]int{}
	for _, c := range cs {
		var cal []domain.Period
		if len(c.Calendar) > 0 && json.Unmarshal(c.Calendar, &cal) != nil {
			continue
		}
		if len(cal) == 0 {
			cal = domain.DefaultCalendar(c.Year)
		}
		for _, p := range cal {
			last := p.Due.AddDays(-1)
			var due string
			switch last {
			case today:
				due = "today"
			case today.AddDays(1):
				due = "tomorrow"
			default:
				continue
			}
			n, err := db.NewSelect().TableExpr("target_areas AS ta").
				Where("ta.campaign_id = ?", c.ID).
				Where("ta.status NOT IN (?)", bun.In([]string{domain.TargetNone, domain.TargetProposed, domain.TargetRejected})).
				Where("NOT EXISTS (SELECT 1 FROM reports AS r WHERE r.target_area_id = ta.id AND r.period = ? AND r.status IN (?))", p.Code, bun.In(receivedStatuses)).
				Count(ctx)
			if err != nil {
				return nil, err
			}
			counts[[2]string{c.Code, due}] += int(n)
		}
	}
	out := make([]Missing, 0, len(counts))
	for k, n := range counts {
		out = append(out, Missing{TenantCode: k[0], Due: k[1], Count: n})
	}
	return out, nil
}

// LoadNational loads every target area of every province's campaign of the
// year for the period, for the platform scope only (EFORBIDDEN otherwise):
// the national view across provinces. Each row's district is its province,
// so the summaries of domain.BuildComparison come out per province.
// Campaigns without the period are left out.
func LoadNational(ctx context.Context, db bun.IDB, year int, period string) ([]domain.CompareInput, error) {
	scope, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return nil, err
	}
	if !scope.All {
		return nil, domain.Errorf(domain.EFORBIDDEN, "chỉ quản trị nền tảng được xem toàn quốc")
	}
	var cs []struct {
		ID       int64  `bun:"id"`
		Year     int    `bun:"year"`
		Calendar []byte `bun:"calendar"`
	}
	if err := db.NewSelect().Table("campaigns").Column("id", "year", "calendar").Where("year = ?", year).Scan(ctx, &cs); err != nil {
		return nil, err
	}
	// Campaigns grouped by the previous period's code: one query per group
	// (one in all when the provinces keep the default calendar).
	groups := map[string][]int64{}
	for _, c := range cs {
		var cal []domain.Period
		if len(c.Calendar) > 0 {
			if err := json.Unmarshal(c.Calendar, &cal); err != nil {
				return nil, err
			}
		}
		if len(cal) == 0 {
			cal = domain.DefaultCalendar(c.Year)
		}
		if _, ok := domain.FindPeriod(cal, period); !ok {
			continue
		}
		prev, _ := domain.PreviousPeriod(cal, period)
		groups[prev.Code] = append(groups[prev.Code], c.ID)
	}
	out := []domain.CompareInput{}
	for prevCode, ids := range groups {
		prevJoin := "LEFT JOIN evaluations AS pe ON 1 = 0"
		var prevArgs []any
		if prevCode != "" {
			prevJoin = "LEFT JOIN evaluations AS pe ON pe.target_area_id = ta.id AND pe.period = ? AND pe.report_status IN (?)"
			prevArgs = []any{prevCode, bun.In(receivedStatuses)}
		}
		var rows []evalRow
		if err := db.NewSelect().
			TableExpr("target_areas AS ta").
			ColumnExpr("ta.id AS target_area_id, ta.unit_id, u.code AS unit_code, u.name AS unit_name").
			ColumnExpr("p.id AS district_id, p.name AS district_name, ta.status AS target_status").
			ColumnExpr("e.report_status, e.timeliness, e.met_count, e.c1, e.c2, e.c3, e.c4, e.c5, e.c6, e.c7").
			ColumnExpr("pe.met_count AS prev_met_count").
			Join("JOIN campaigns AS c ON c.id = ta.campaign_id").
			Join("JOIN units AS u ON u.id = ta.unit_id").
			Join("JOIN units AS p ON p.id = c.province_id").
			Join("LEFT JOIN evaluations AS e ON e.target_area_id = ta.id AND e.period = ?", period).
			Join(prevJoin, prevArgs...).
			Where("ta.campaign_id IN (?)", bun.In(ids)).
			Scan(ctx, &rows); err != nil {
			return nil, err
		}
		for i := range rows {
			out = append(out, rows[i].input())
		}
	}
	return out, nil
}
