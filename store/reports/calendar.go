package reports

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// Calendar is a campaign's reporting calendar as the API shows it.
type Calendar struct {
	CampaignID int64           `json:"campaign_id"`
	Year       int             `json:"year"`
	Periods    []domain.Period `json:"periods"`
	// Monthly are the assigned member's monthly reports, derived from MonthlyReportDueDay.
	Monthly             []domain.Period `json:"monthly"`
	MonthlyReportDueDay int             `json:"monthly_report_due_day"`
	ExitPeriod          string          `json:"exit_period"`
	// Locked is true once a report of the campaign has been submitted: the
	// calendar can no longer change.
	Locked   bool  `json:"locked"`
	TenantID int64 `json:"-"`
}

// CalendarInput replaces a campaign's calendar; nil fields keep their value.
type CalendarInput struct {
	Periods             []domain.Period `json:"periods"`
	MonthlyReportDueDay *int            `json:"monthly_report_due_day,omitempty"`
	ExitPeriod          *string         `json:"exit_period,omitempty"`
}

// submittedExists reports whether any report of the campaign has ever been submitted.
func submittedExists(ctx context.Context, db bun.IDB, campaignID int64) (bool, error) {
	return db.NewSelect().Table("report_revisions").
		Where("report_id IN (SELECT id FROM reports WHERE campaign_id = ?)", campaignID).Exists(ctx)
}

func (s *Service) calendarOf(ctx context.Context, db bun.IDB, c *campaign) (*Calendar, error) {
	locked, err := submittedExists(ctx, db, c.row.ID)
	if err != nil {
		return nil, err
	}
	day := c.row.MonthlyDueDay
	if day == 0 {
		day = domain.DefaultMonthlyReportDueDay
	}
	cal := c.calendar
	if cal == nil {
		cal = []domain.Period{}
	}
	return &Calendar{CampaignID: c.row.ID, Year: c.row.Year, Periods: cal, Monthly: domain.MonthlyPeriods(c.row.Year, day),
		MonthlyReportDueDay: day, ExitPeriod: c.row.ExitPeriod, Locked: locked, TenantID: c.row.ProvinceID}, nil
}

// FindCalendar returns the calendar of a campaign of the caller's province.
func (s *Service) FindCalendar(ctx context.Context, campaignID int64) (*Calendar, error) {
	c, err := loadCampaign(ctx, s.DB, campaignID, "")
	if err != nil {
		return nil, err
	}
	return s.calendarOf(ctx, s.DB, c)
}

// requireProvince refuses a caller whose scope does not hold the campaign's province unit itself.
func requireProvince(ctx context.Context, db bun.IDB, c *campaign, msg string) error {
	sc, err := tenants.ScopeFromContext(ctx)
	if err != nil {
		return err
	}
	if sc.All {
		return nil
	}
	if sc.UnitID != c.row.ProvinceID {
		return domain.Errorf(domain.EFORBIDDEN, "%s", msg)
	}
	return nil
}

// UpdateCalendar replaces the calendar of a campaign while none of its
// reports has been submitted (ECONFLICT afterwards). A period that already
// has reports cannot be removed, and the exit period must stay in the
// calendar. EINVALID names every bad field as "periods[i].field".
func (s *Service) UpdateCalendar(ctx context.Context, campaignID int64, in CalendarInput) (*Calendar, error) {
	var out *Calendar
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := loadCampaign(ctx, tx, campaignID, "UPDATE")
		if err != nil {
			return err
		}
		if err := requireProvince(ctx, tx, c, "Chỉ cấp tỉnh của chương trình mới được sửa lịch báo cáo"); err != nil {
			return err
		}
		locked, err := submittedExists(ctx, tx, campaignID)
		if err != nil {
			return err
		}
		if locked {
			return domain.Errorf(domain.ECONFLICT, "Chương trình đã có báo cáo được gửi nên không thể sửa lịch báo cáo")
		}
		fe := domain.FieldErrors{}
		if err := domain.ValidateCalendar(in.Periods); err != nil {
			var de *domain.Error
			if e, ok := err.(*domain.Error); ok {
				de = e
			}
			if de == nil || len(de.Fields) == 0 {
				return err
			}
			for f, m := range de.FieldErrors() {
				fe.AddMsg(f, m)
			}
		}
		day := c.row.MonthlyDueDay
		if in.MonthlyReportDueDay != nil {
			day = *in.MonthlyReportDueDay
			if day < 1 || day > 31 {
				fe.Add("monthly_report_due_day", "Hạn báo cáo tháng phải là một ngày từ 1 đến 31")
			}
		}
		exit := c.row.ExitPeriod
		if in.ExitPeriod != nil {
			exit = *in.ExitPeriod
		}
		for _, p := range in.Periods {
			if _, ok := domain.FindPeriod(domain.MonthlyPeriods(c.row.Year, 1), p.Code); ok {
				fe.Add("periods", fmt.Sprintf("Mã kỳ “%s” trùng với mã báo cáo tháng", p.Code))
			}
		}
		if _, ok := domain.FindPeriod(in.Periods, exit); !ok {
			fe.Add("exit_period", fmt.Sprintf("Kỳ báo cáo “%s” dùng để xét đưa ra khỏi diện trọng điểm phải có trong lịch", exit))
		}
		if err := fe.Err(); err != nil {
			return err
		}
		var used []string
		if err := tx.NewSelect().Table("reports").ColumnExpr("DISTINCT period").Where("campaign_id = ?", campaignID).Scan(ctx, &used); err != nil {
			return err
		}
		var gone []string
		for _, code := range used {
			if _, ok := domain.FindPeriod(in.Periods, code); !ok && !slices.ContainsFunc(domain.MonthlyPeriods(c.row.Year, day), func(p domain.Period) bool { return p.Code == code }) {
				gone = append(gone, code)
			}
		}
		if len(gone) > 0 {
			slices.Sort(gone)
			return domain.Errorf(domain.ECONFLICT, "Không thể bỏ kỳ báo cáo đã có báo cáo đang nhập: %s", strings.Join(gone, ", "))
		}
		before := map[string]any{"calendar": c.calendar, "monthly_due_day": c.row.MonthlyDueDay, "exit_period": c.row.ExitPeriod}
		now := s.now()
		cond, args, err := campaignScope(ctx, "province_id")
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("campaigns").Set("calendar = ?", mustJSON(in.Periods)).
			Set("monthly_due_day = ?", day).Set("exit_period = ?", exit).Set("version = version + 1").Set("updated_at = ?", now).
			Where("id = ?", campaignID).Where(cond, args...).Exec(ctx); err != nil {
			return err
		}
		c.calendar, c.row.MonthlyDueDay, c.row.ExitPeriod = in.Periods, day, exit
		if err := s.rematerialise(ctx, tx, c, 0); err != nil {
			return err
		}
		if err := record(ctx, tx, c.row.ProvinceID, "campaign.calendar", "campaign", campaignID, before,
			map[string]any{"calendar": in.Periods, "monthly_due_day": day, "exit_period": exit}); err != nil {
			return err
		}
		out, err = s.calendarOf(ctx, tx, c)
		return err
	})
	return out, err
}

// Catalogue is a campaign's indicator catalogue.
type Catalogue struct {
	CampaignID int64                   `json:"campaign_id"`
	Groups     []domain.IndicatorGroup `json:"groups"`
	Indicators []CatalogueIndicator    `json:"indicators"`
	TenantID   int64                   `json:"-"`
}

// CatalogueIndicator is an indicator with whether it is one of the defaults.
type CatalogueIndicator struct {
	domain.Indicator
	// Default is true for the indicators of SPEC section 4; false for those the province added.
	Default bool `json:"default"`
}

func catalogueOf(c *campaign) *Catalogue {
	out := &Catalogue{CampaignID: c.row.ID, Groups: domain.DefaultIndicatorGroups(), TenantID: c.row.ProvinceID}
	for _, ind := range c.catalogue() {
		_, def := domain.FindIndicator(domain.DefaultIndicators(), ind.Code)
		out.Indicators = append(out.Indicators, CatalogueIndicator{Indicator: ind, Default: def})
	}
	return out
}

// FindCatalogue returns the indicator catalogue of a campaign: the defaults
// and the indicators its province added.
func (s *Service) FindCatalogue(ctx context.Context, campaignID int64) (*Catalogue, error) {
	c, err := loadCampaign(ctx, s.DB, campaignID, "")
	if err != nil {
		return nil, err
	}
	return catalogueOf(c), nil
}

// IndicatorUpdate changes an indicator's wording or who may enter it; its
// code and type never change because reports store values by code.
type IndicatorUpdate struct {
	Label     *string   `json:"label,omitempty"`
	LabelEN   *string   `json:"label_en,omitempty"`
	Unit      *string   `json:"unit,omitempty"`
	Hint      *string   `json:"hint,omitempty"`
	EnteredBy *[]string `json:"entered_by,omitempty"`
}

// AddIndicator adds a province indicator to a campaign's catalogue.
// EINVALID names the bad fields ("indicators[i].code" becomes "code").
func (s *Service) AddIndicator(ctx context.Context, campaignID int64, ind domain.Indicator) (*Catalogue, error) {
	return s.editCatalogue(ctx, campaignID, "campaign.indicator_add", func(cat []domain.Indicator) ([]domain.Indicator, error) {
		if ind.Group == "" {
			ind.Group = domain.GroupActivities
		}
		if ind.Type != domain.IndicatorCount && ind.Type != domain.IndicatorBool {
			if ind.Type == "" {
				ind.Type = domain.IndicatorCount
			} else {
				return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"type": "Chỉ tiêu bổ sung phải là count hoặc bool"})
			}
		}
		if _, dup := domain.FindIndicator(cat, ind.Code); dup {
			return nil, domain.Errorf(domain.ECONFLICT, "Chỉ tiêu mã “%s” đã có trong danh mục", ind.Code)
		}
		return append(cat, ind), nil
	})
}

// UpdateIndicator changes an indicator of a campaign's catalogue, for
// example letting wards enter crime figures (entered_by). ENOTFOUND for an
// unknown code.
func (s *Service) UpdateIndicator(ctx context.Context, campaignID int64, code string, upd IndicatorUpdate) (*Catalogue, error) {
	return s.editCatalogue(ctx, campaignID, "campaign.indicator_update", func(cat []domain.Indicator) ([]domain.Indicator, error) {
		i := slices.IndexFunc(cat, func(x domain.Indicator) bool { return x.Code == code })
		if i < 0 {
			return nil, domain.NotFound("Chỉ tiêu")
		}
		ind := &cat[i]
		if upd.Label != nil {
			ind.Label = *upd.Label
		}
		if upd.LabelEN != nil {
			ind.LabelEN = *upd.LabelEN
		}
		if upd.Unit != nil {
			ind.Unit = *upd.Unit
		}
		if upd.Hint != nil {
			ind.Hint = *upd.Hint
		}
		if upd.EnteredBy != nil {
			if ind.Type == domain.IndicatorAssessment {
				return nil, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"entered_by": "Đánh giá hệ thống chính trị luôn do cấp huyện thực hiện"})
			}
			ind.EnteredBy = slices.Clone(*upd.EnteredBy)
		}
		return cat, nil
	})
}

func (s *Service) editCatalogue(ctx context.Context, campaignID int64, action string, edit func([]domain.Indicator) ([]domain.Indicator, error)) (*Catalogue, error) {
	var out *Catalogue
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		c, err := loadCampaign(ctx, tx, campaignID, "UPDATE")
		if err != nil {
			return err
		}
		if err := requireProvince(ctx, tx, c, "Chỉ cấp tỉnh của chương trình mới được sửa danh mục chỉ tiêu"); err != nil {
			return err
		}
		before := slices.Clone(c.catalogue())
		cat, err := edit(slices.Clone(c.catalogue()))
		if err != nil {
			return err
		}
		if err := domain.ValidateIndicators(cat); err != nil {
			return stripIndex(err)
		}
		cond, args, err := campaignScope(ctx, "province_id")
		if err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Table("campaigns").Set("indicators = ?", mustJSON(cat)).Set("version = version + 1").Set("updated_at = ?", s.now()).
			Where("id = ?", campaignID).Where(cond, args...).Exec(ctx); err != nil {
			return err
		}
		c.indicators = cat
		if err := record(ctx, tx, c.row.ProvinceID, action, "campaign", campaignID, before, cat); err != nil {
			return err
		}
		out = catalogueOf(c)
		return nil
	})
	return out, err
}

// stripIndex renames "indicators[i].field" to "field" in an EINVALID error about one indicator.
func stripIndex(err error) error {
	e, ok := err.(*domain.Error)
	if !ok {
		return err
	}
	fields := domain.FieldErrors{}
	for f, m := range e.FieldErrors() {
		if i := strings.Index(f, "]."); i >= 0 {
			f = f[i+2:]
		}
		fields[f] = m
	}
	return fields.Invalid(e.Message)
}

// CheckCalendarChange refuses, with ECONFLICT, a campaign change (through
// any endpoint) that alters the calendar, the monthly due day or the exit
// period once a report of the campaign has been submitted, or that removes
// a period which already has reports. It runs in the changing transaction
// after the campaign row is updated, so it sees every committed submission.
func CheckCalendarChange(ctx context.Context, db bun.IDB, before, after *domain.Campaign) error {
	if reflect.DeepEqual(before.Calendar, after.Calendar) && before.MonthlyReportDueDay == after.MonthlyReportDueDay && before.ExitPeriod == after.ExitPeriod {
		return nil
	}
	locked, err := submittedExists(ctx, db, before.ID)
	if err != nil {
		return err
	}
	if locked {
		return domain.Errorf(domain.ECONFLICT, "Chương trình đã có báo cáo được gửi nên không thể sửa lịch báo cáo")
	}
	var used []string
	if err := db.NewSelect().Table("reports").ColumnExpr("DISTINCT period").Where("campaign_id = ?", before.ID).Scan(ctx, &used); err != nil {
		return err
	}
	monthly := after.MonthlyCalendar()
	var gone []string
	for _, code := range used {
		_, inCal := domain.FindPeriod(after.Calendar, code)
		_, inMonthly := domain.FindPeriod(monthly, code)
		if !inCal && !inMonthly {
			gone = append(gone, code)
		}
	}
	if len(gone) > 0 {
		slices.Sort(gone)
		return domain.Errorf(domain.ECONFLICT, "Không thể bỏ kỳ báo cáo đã có báo cáo đang nhập: %s", strings.Join(gone, ", "))
	}
	return nil
}
