package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/store"
)

// campaignRow is the part of a campaign this package reads and writes.
type campaignRow struct {
	bun.BaseModel `bun:"table:campaigns,alias:c"`

	ID                int64     `bun:"id,pk"`
	ProvinceID        int64     `bun:"province_id"`
	Year              int       `bun:"year"`
	Calendar          string    `bun:"calendar"`
	Thresholds        string    `bun:"thresholds"`
	Indicators        string    `bun:"indicators"`
	ExitPeriod        string    `bun:"exit_period"`
	MonthlyDueDay     int       `bun:"monthly_due_day"`
	RelapseIndicators string    `bun:"relapse_indicators"`
	UpdatedAt         time.Time `bun:"updated_at"`
}

// campaign is a decoded campaignRow.
type campaign struct {
	row        campaignRow
	calendar   []domain.Period
	thresholds domain.Thresholds
	indicators []domain.Indicator // as stored; empty means the defaults
	relapse    []string           // the relapse indicator codes
}

func (c *campaign) catalogue() []domain.Indicator {
	if len(c.indicators) == 0 {
		return domain.DefaultIndicators()
	}
	return c.indicators
}

// period finds code among the calendar's periods and the monthly reports.
func (c *campaign) period(code string) (domain.Period, bool) {
	if p, ok := domain.FindPeriod(c.calendar, code); ok {
		return p, true
	}
	day := c.row.MonthlyDueDay
	if day == 0 {
		day = domain.DefaultMonthlyReportDueDay
	}
	return domain.FindPeriod(domain.MonthlyPeriods(c.row.Year, day), code)
}

// loadCampaign reads a campaign of a province the caller belongs to; lock
// takes a row lock on PostgreSQL ("SHARE" or "UPDATE"), which SQLite's
// single writer makes unnecessary.
func loadCampaign(ctx context.Context, db bun.IDB, id int64, lock string) (*campaign, error) {
	c := &campaign{}
	cond, args, err := campaignScope(ctx, "c.province_id")
	if err != nil {
		return nil, err
	}
	q := db.NewSelect().Model(&c.row).Where("c.id = ?", id).Where(cond, args...)
	if lock != "" && store.IsPostgres(db) {
		q = q.For(lock + " OF c")
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("Chương trình")
	} else if err != nil {
		return nil, err
	}
	if err := decodeJSONColumn(c.row.Calendar, &c.calendar); err != nil {
		return nil, err
	}
	th := domain.DefaultThresholds()
	if c.row.Thresholds != "" && c.row.Thresholds != "null" && c.row.Thresholds != "{}" {
		t, err := domain.DecodeThresholds([]byte(c.row.Thresholds))
		if err != nil {
			return nil, err
		}
		th = t
	}
	c.thresholds = th
	if err := decodeJSONColumn(c.row.Indicators, &c.indicators); err != nil {
		return nil, err
	}
	if err := decodeJSONColumn(c.row.RelapseIndicators, &c.relapse); err != nil {
		return nil, err
	}
	return c, nil
}

func decodeJSONColumn(s string, v any) error {
	if s == "" || s == "null" {
		return nil
	}
	return json.Unmarshal([]byte(s), v)
}

// targetArea is the part of a target area this package reads and writes.
type targetArea struct {
	bun.BaseModel `bun:"table:target_areas,alias:ta"`

	ID         int64     `bun:"id,pk"`
	CampaignID int64     `bun:"campaign_id"`
	UnitID     int64     `bun:"unit_id"`
	Status     string    `bun:"status"`
	UpdatedAt  time.Time `bun:"updated_at"`
}

// loadTargetArea reads a target area whose unit is inside the caller's scope.
func loadTargetArea(ctx context.Context, db bun.IDB, id int64) (*targetArea, error) {
	ta := new(targetArea)
	q, err := whereUnit(ctx, db.NewSelect().Model(ta).Where("ta.id = ?", id), "ta.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("Địa bàn trọng điểm")
	} else if err != nil {
		return nil, err
	}
	return ta, nil
}

// reporting reports whether a target area in status owes reports: approved
// and not rejected.
func reporting(status string) bool {
	return status != domain.TargetNone && status != domain.TargetProposed && status != domain.TargetRejected
}
