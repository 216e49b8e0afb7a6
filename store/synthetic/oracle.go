package synthetic

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// Expected is the brute-force answer for one target area: every figure
// recomputed from the raw report values with domain.Evaluate, never read
// from the stored evaluations.
type Expected struct {
	TargetAreaID int64
	UnitID       int64
	DistrictID   int64
	TargetStatus string
	ReportStatus string
	Timeliness   string
	Statuses     [7]string
	MetCount     int
	PrevMetCount *int
	Trend        string
	Rank         int
}

// ExpectedView is the brute-force comparison of one scope.
type ExpectedView struct {
	Rows map[int64]*Expected
	// Expected, Received and OnTime are the overall reporting rates.
	Expected, Received, OnTime int
}

// Oracle recomputes the comparison of a campaign and period for the units
// whose path starts with scopePath, from raw reports, as of now. It is the
// slow, obviously correct reference the tests hold the real view against.
func Oracle(ctx context.Context, db bun.IDB, campaignID int64, period, scopePath string, now time.Time) (*ExpectedView, error) {
	var c struct {
		Calendar   string `bun:"calendar"`
		Thresholds string `bun:"thresholds"`
	}
	if err := db.NewSelect().Table("campaigns").Column("calendar", "thresholds").Where("id = ?", campaignID).Scan(ctx, &c); err != nil {
		return nil, err
	}
	var cal []domain.Period
	if err := json.Unmarshal([]byte(c.Calendar), &cal); err != nil {
		return nil, err
	}
	th, err := domain.DecodeThresholds([]byte(c.Thresholds))
	if err != nil {
		return nil, err
	}
	p, ok := domain.FindPeriod(cal, period)
	if !ok {
		return nil, fmt.Errorf("oracle: no period %s", period)
	}
	prev, hasPrev := domain.PreviousPeriod(cal, period)

	var tas []struct {
		ID       int64  `bun:"id"`
		UnitID   int64  `bun:"unit_id"`
		Status   string `bun:"status"`
		Path     string `bun:"path"`
		ParentID *int64 `bun:"parent_id"`
	}
	if err := db.NewSelect().TableExpr("target_areas AS ta").Join("JOIN units AS u ON u.id = ta.unit_id").
		ColumnExpr("ta.id, ta.unit_id, ta.status, u.path, u.parent_id").Where("ta.campaign_id = ?", campaignID).Scan(ctx, &tas); err != nil {
		return nil, err
	}
	type rep struct {
		TargetAreaID int64      `bun:"target_area_id"`
		Period       string     `bun:"period"`
		Status       string     `bun:"status"`
		Values       string     `bun:"report_values"`
		Assessment   *string    `bun:"assessment"`
		SubmittedAt  *time.Time `bun:"submitted_at"`
	}
	var reps []rep
	if err := db.NewSelect().Table("reports").Column("target_area_id", "period", "status", "report_values", "assessment", "submitted_at").
		Where("campaign_id = ?", campaignID).Scan(ctx, &reps); err != nil {
		return nil, err
	}
	byKey := map[string]*rep{}
	for i := range reps {
		byKey[fmt.Sprint(reps[i].TargetAreaID, "/", reps[i].Period)] = &reps[i]
	}
	evaluate := func(r *rep) (domain.Evaluation, error) {
		var v domain.ReportValues
		if err := json.Unmarshal([]byte(r.Values), &v); err != nil {
			return domain.Evaluation{}, err
		}
		var a *domain.Assessment
		if r.Assessment != nil && *r.Assessment != "" && *r.Assessment != "null" {
			a = new(domain.Assessment)
			if err := json.Unmarshal([]byte(*r.Assessment), a); err != nil {
				return domain.Evaluation{}, err
			}
		}
		return domain.Evaluate(EvalValues(v, a), th), nil
	}
	sent := func(s string) bool {
		return s == domain.ReportSubmitted || s == domain.ReportReturned || s == domain.ReportAccepted
	}
	active := func(s string) bool {
		return s != domain.TargetNone && s != domain.TargetProposed && s != domain.TargetRejected
	}
	out := &ExpectedView{Rows: map[int64]*Expected{}}
	for _, ta := range tas {
		if len(ta.Path) < len(scopePath) || ta.Path[:len(scopePath)] != scopePath {
			continue
		}
		e := &Expected{TargetAreaID: ta.ID, UnitID: ta.UnitID, TargetStatus: ta.Status, ReportStatus: domain.CompareReportMissing,
			Statuses: domain.NoReportStatuses(), Trend: domain.TrendNone}
		var parentKind string
		if ta.ParentID != nil {
			db.NewSelect().Table("units").Column("kind").Where("id = ?", *ta.ParentID).Scan(ctx, &parentKind)
			if parentKind == "district" {
				e.DistrictID = *ta.ParentID
			}
		}
		var submitted time.Time
		if r := byKey[fmt.Sprint(ta.ID, "/", p.Code)]; r != nil {
			ev, err := evaluate(r)
			if err != nil {
				return nil, err
			}
			e.ReportStatus = r.Status
			// A draft's criteria stay missing until it is sent.
			if sent(r.Status) {
				for i, cr := range ev.Criteria {
					e.Statuses[i] = cr.Status
				}
				e.MetCount = ev.MetCount
			}
			if sent(r.Status) && r.SubmittedAt != nil {
				submitted = *r.SubmittedAt
			}
		}
		e.Timeliness = domain.Timeliness(p, submitted, now)
		if hasPrev {
			if r := byKey[fmt.Sprint(ta.ID, "/", prev.Code)]; r != nil && sent(r.Status) {
				ev, err := evaluate(r)
				if err != nil {
					return nil, err
				}
				n := ev.MetCount
				e.PrevMetCount = &n
				if e.ReportStatus != domain.CompareReportMissing {
					switch {
					case e.MetCount > n:
						e.Trend = domain.TrendUp
					case e.MetCount < n:
						e.Trend = domain.TrendDown
					default:
						e.Trend = domain.TrendSame
					}
				}
			}
		}
		out.Rows[ta.ID] = e
	}
	for _, e := range out.Rows {
		if !active(e.TargetStatus) {
			continue
		}
		out.Expected++
		if sent(e.ReportStatus) {
			out.Received++
			if e.Timeliness == domain.TimelinessOnTime {
				out.OnTime++
			}
		}
		e.Rank = 1
		for _, o := range out.Rows {
			if active(o.TargetStatus) && o.MetCount > e.MetCount {
				e.Rank++
			}
		}
	}
	return out, nil
}
