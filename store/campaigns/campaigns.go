package campaigns

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Campaign is a stored campaign with its optimistic-locking version.
type Campaign struct {
	domain.Campaign
	// Version increases with every change; an update must send the version it read.
	Version int `json:"version"`
}

type campaignRow struct {
	bun.BaseModel `bun:"table:campaigns,alias:c"`

	ID                int64              `bun:"id,pk,autoincrement"`
	ProvinceID        int64              `bun:"province_id,notnull"`
	Year              int                `bun:"year,notnull"`
	Title             string             `bun:"title,notnull"`
	Decision          domain.Document    `bun:"decision,notnull"`
	Documents         []domain.Document  `bun:"documents,notnull"`
	Calendar          []domain.Period    `bun:"calendar,notnull"`
	Thresholds        domain.Thresholds  `bun:"thresholds,notnull"`
	Indicators        []domain.Indicator `bun:"indicators,notnull"`
	PlanDue           domain.Date        `bun:"plan_due,notnull"`
	ExitPeriod        string             `bun:"exit_period,notnull"`
	MonthlyDueDay     int                `bun:"monthly_due_day,notnull"`
	RelapseIndicators []string           `bun:"relapse_indicators,notnull"`
	Version           int                `bun:"version,notnull"`
	CreatedBy         *int64             `bun:"created_by"`
	CreatedAt         time.Time          `bun:"created_at,notnull"`
	UpdatedAt         time.Time          `bun:"updated_at,notnull"`
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func campaignToRow(c *domain.Campaign) *campaignRow {
	return &campaignRow{
		ID: c.ID, ProvinceID: c.ProvinceUnitID, Year: c.Year, Title: c.Title, Decision: c.Decision,
		Documents: nonNil(c.References), Calendar: nonNil(c.Calendar), Thresholds: c.Thresholds,
		Indicators: nonNil(c.Indicators), PlanDue: c.WardPlanDue, ExitPeriod: c.ExitPeriod,
		MonthlyDueDay: c.MonthlyReportDueDay, RelapseIndicators: nonNil(c.RelapseIndicators),
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
	}
}

func (r *campaignRow) campaign() *Campaign {
	return &Campaign{Version: r.Version, Campaign: domain.Campaign{
		ID: r.ID, ProvinceUnitID: r.ProvinceID, Year: r.Year, Title: r.Title, Decision: r.Decision,
		References: nonNil(r.Documents), Calendar: nonNil(r.Calendar), Thresholds: r.Thresholds,
		Indicators: r.Indicators, WardPlanDue: r.PlanDue, MonthlyReportDueDay: r.MonthlyDueDay,
		ExitPeriod: r.ExitPeriod, RelapseIndicators: nonNil(r.RelapseIndicators),
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
	}}
}

// CreateCampaign validates and stores c for its province, which must be a
// province inside the caller's scope. Errors: EINVALID naming fields,
// ECONFLICT when the province already has a campaign for the year.
func CreateCampaign(ctx context.Context, db bun.IDB, c *domain.Campaign, createdBy int64, now time.Time) (*Campaign, error) {
	if err := domain.ValidateCampaign(*c); err != nil {
		return nil, err
	}
	p, err := tenants.FindUnitByID(ctx, db, c.ProvinceUnitID)
	if domain.ErrorCode(err) == domain.ENOTFOUND || (err == nil && p.Kind != tenants.KindProvince) {
		return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"province_unit_id": "Tỉnh không tồn tại"})
	} else if err != nil {
		return nil, err
	}
	q, err := whereTenant(ctx, db.NewSelect().Model((*campaignRow)(nil)).Where("c.province_id = ? AND c.year = ?", p.ID, c.Year), "c.province_id")
	if err != nil {
		return nil, err
	}
	if exists, err := q.Exists(ctx); err != nil {
		return nil, err
	} else if exists {
		return nil, &domain.Error{Code: domain.ECONFLICT, Message: "Tỉnh đã có chương trình chuyển hóa năm này",
			Fields: map[string]string{"year": "đã có chương trình năm này"}}
	}
	c.CreatedAt, c.UpdatedAt = now, now
	row := campaignToRow(c)
	row.Version = 1
	if createdBy > 0 {
		row.CreatedBy = &createdBy
	}
	if _, err := db.NewInsert().Model(row).Returning("id").Exec(ctx); err != nil {
		return nil, err
	}
	c.ID = row.ID
	return row.campaign(), nil
}

// FindCampaignByID returns the campaign if it belongs to the caller's
// province; ENOTFOUND otherwise.
func FindCampaignByID(ctx context.Context, db bun.IDB, id int64) (*Campaign, error) {
	row := new(campaignRow)
	q, err := whereTenant(ctx, db.NewSelect().Model(row).Where("c.id = ?", id), "c.province_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "Chương trình")
	}
	return row.campaign(), nil
}

// CampaignFilter selects campaigns.
type CampaignFilter struct {
	Year   *int
	Limit  int
	Offset int
}

// FindCampaigns lists the campaigns of the caller's province, newest year first.
func FindCampaigns(ctx context.Context, db bun.IDB, f CampaignFilter) ([]*Campaign, int, error) {
	var rows []*campaignRow
	q, err := whereTenant(ctx, db.NewSelect().Model(&rows), "c.province_id")
	if err != nil {
		return nil, 0, err
	}
	if f.Year != nil {
		q = q.Where("c.year = ?", *f.Year)
	}
	f.Limit, f.Offset = limitOffset(f.Limit, f.Offset)
	n, err := q.OrderExpr("c.year DESC, c.id DESC").Limit(int64(f.Limit)).Offset(int64(f.Offset)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, err
	}
	out := make([]*Campaign, len(rows))
	for i, r := range rows {
		out[i] = r.campaign()
	}
	return out, int(n), nil
}

// CampaignUpdate is a patch of a campaign; nil fields are left alone and
// Version is required.
type CampaignUpdate struct {
	Version             *int                `json:"version"`
	Title               *string             `json:"title"`
	Decision            *domain.Document    `json:"decision"`
	References          *[]domain.Document  `json:"references"`
	Calendar            *[]domain.Period    `json:"calendar"`
	Thresholds          *domain.Thresholds  `json:"thresholds"`
	Indicators          *[]domain.Indicator `json:"indicators"`
	WardPlanDue         *domain.Date        `json:"ward_plan_due"`
	MonthlyReportDueDay *int                `json:"monthly_report_due_day"`
	ExitPeriod          *string             `json:"exit_period"`
	RelapseIndicators   *[]string           `json:"relapse_indicators"`
}

// UpdateCampaign applies upd to the campaign and returns it with the before
// state. Errors: ENOTFOUND, EINVALID, ECONFLICT (stale version).
func UpdateCampaign(ctx context.Context, db bun.IDB, id int64, upd CampaignUpdate, now time.Time) (before, after *Campaign, err error) {
	before, err = FindCampaignByID(ctx, db, id)
	if err != nil {
		return nil, nil, err
	}
	if err := requireVersion("chương trình", upd.Version, before.Version); err != nil {
		return nil, nil, err
	}
	c := before.Campaign
	if upd.Title != nil {
		c.Title = *upd.Title
	}
	if upd.Decision != nil {
		c.Decision = *upd.Decision
	}
	if upd.References != nil {
		c.References = *upd.References
	}
	if upd.Calendar != nil {
		c.Calendar = *upd.Calendar
	}
	if upd.Thresholds != nil {
		c.Thresholds = *upd.Thresholds
	}
	if upd.Indicators != nil {
		c.Indicators = *upd.Indicators
	}
	if upd.WardPlanDue != nil {
		c.WardPlanDue = *upd.WardPlanDue
	}
	if upd.MonthlyReportDueDay != nil {
		c.MonthlyReportDueDay = *upd.MonthlyReportDueDay
	}
	if upd.ExitPeriod != nil {
		c.ExitPeriod = *upd.ExitPeriod
	}
	if upd.RelapseIndicators != nil {
		c.RelapseIndicators = *upd.RelapseIndicators
	}
	if err := domain.ValidateCampaign(c); err != nil {
		return nil, nil, err
	}
	c.UpdatedAt = now
	row := campaignToRow(&c)
	row.Version = before.Version + 1
	res, err := db.NewUpdate().Model(row).
		Column("title", "decision", "documents", "calendar", "thresholds", "indicators", "plan_due", "exit_period", "monthly_due_day", "relapse_indicators", "version", "updated_at").
		Where("c.id = ? AND c.version = ?", id, before.Version).Exec(ctx)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return nil, nil, staleVersion("Chương trình", before.Version)
	}
	return before, row.campaign(), nil
}
