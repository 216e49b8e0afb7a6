package reports

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/authz/audit"
	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/outbox"
	"chuyenhoa/tenants"
)

// Service is the report store: every method runs its own transaction,
// scoped by the caller's scope in ctx and audited in the same transaction.
type Service struct {
	// DB is the database, or a transaction the service's own transactions
	// nest in as savepoints (the demo seed runs in one transaction).
	DB bun.IDB
	// Now is the clock (timeliness, timestamps, idempotency expiry); time.Now when nil.
	Now func() time.Time
	// IdempotencyTTL is how long an Idempotency-Key replays its first answer;
	// DefaultIdempotencyTTL when 0.
	IdempotencyTTL time.Duration
	// Outbox receives the domain events of each write inside its
	// transaction; nil emits none (tools that need no delivery).
	Outbox *outbox.Outbox
}

// emit records a report event inside tx, the write's transaction.
func (s *Service) emit(ctx context.Context, tx bun.IDB, r *Report, typ string, now time.Time) error {
	ev := domain.Event{Type: typ, TenantID: r.TenantID, CampaignID: r.CampaignID, ObjectType: "report", ObjectID: r.ID, At: now}
	if id := actorID(ctx); id != nil {
		ev.ActorID = *id
	}
	return s.Outbox.Emit(ctx, tx, ev)
}

// reviewEvents names the event of each review action that has one.
var reviewEvents = map[string]string{
	domain.ReportActReturn: domain.EventReportReturned,
	domain.ReportActAccept: domain.EventReportAccepted,
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// callerRoles returns the roles of the signed-in user, nil when anonymous.
func callerRoles(ctx context.Context) []string {
	if u := identity.UserFromContext(ctx); u != nil {
		return u.Roles
	}
	return nil
}

// actorID returns the acting user's id, nil when anonymous.
func actorID(ctx context.Context) *int64 {
	if a := audit.ActorFromContext(ctx); a.UserID != 0 {
		id := a.UserID
		return &id
	}
	return nil
}

// record writes an audit entry about an object owned by unitID.
func record(ctx context.Context, tx bun.IDB, unitID int64, action, objectType string, objectID int64, before, after any) error {
	u, err := tenants.FindUnitByID(ctx, tx, unitID)
	if err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Change{Action: action, ObjectType: objectType, ObjectID: strconv.FormatInt(objectID, 10), Unit: u, Before: before, After: after})
}

// tx runs fn in a transaction (a savepoint when DB is itself one). fn gets
// the caller's ctx: bun hands a nested fn the outer transaction's context,
// which would lose the user and scope of this call.
func (s *Service) tx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	return s.DB.RunInTx(ctx, nil, func(_ context.Context, tx bun.Tx) error { return fn(ctx, tx) })
}

// findReport reads a report inside the caller's scope.
func findReport(ctx context.Context, db bun.IDB, id int64) (*Report, error) {
	r := new(Report)
	q, err := whereUnit(ctx, db.NewSelect().Model(r).Where("r.id = ?", id), "r.unit_id")
	if err != nil {
		return nil, err
	}
	return scanReport(ctx, q, r)
}

// findReportByPeriod reads the report of a target area for a period, nil when there is none.
func findReportByPeriod(ctx context.Context, db bun.IDB, taID int64, period string) (*Report, error) {
	r := new(Report)
	q, err := whereUnit(ctx, db.NewSelect().Model(r).Where("r.target_area_id = ?", taID).Where("r.period = ?", period), "r.unit_id")
	if err != nil {
		return nil, err
	}
	r, err = scanReport(ctx, q, r)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	}
	return r, err
}

func scanReport(ctx context.Context, q *bun.SelectQuery, r *Report) (*Report, error) {
	if err := q.Scan(ctx); errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("Báo cáo")
	} else if err != nil {
		return nil, err
	}
	if err := r.decode(); err != nil {
		return nil, err
	}
	return r, nil
}

// fill completes a report read for output: timeliness and tenant.
func (s *Service) fill(r *Report, c *campaign) {
	r.TenantID = c.row.ProvinceID
	p, ok := c.period(r.Period)
	if !ok {
		r.Timeliness = ""
		return
	}
	var sub time.Time
	if r.SubmittedAt != nil {
		sub = *r.SubmittedAt
	}
	r.Timeliness = domain.Timeliness(p, sub, s.now())
}

// context loads the target area (scoped) and its campaign and checks the period.
func reportContext(ctx context.Context, db bun.IDB, taID int64, period, lock string) (*targetArea, *campaign, domain.Period, error) {
	ta, err := loadTargetArea(ctx, db, taID)
	if err != nil {
		return nil, nil, domain.Period{}, err
	}
	c, err := loadCampaign(ctx, db, ta.CampaignID, lock)
	if err != nil {
		return nil, nil, domain.Period{}, err
	}
	p, ok := c.period(period)
	if !ok {
		return nil, nil, domain.Period{}, &domain.Error{Code: domain.ENOTFOUND, Message: "Kỳ báo cáo “" + period + "” không có trong lịch báo cáo của chương trình"}
	}
	return ta, c, p, nil
}

// FindReport returns a report inside the caller's scope (ENOTFOUND otherwise).
func (s *Service) FindReport(ctx context.Context, id int64) (*Report, error) {
	r, err := findReport(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	c, err := loadCampaign(ctx, s.DB, r.CampaignID, "")
	if err != nil {
		return nil, err
	}
	s.fill(r, c)
	return r, nil
}

// ReportByPeriod returns the report of a target area for a period; when
// none exists yet it returns an empty draft with ID 0 and version 0, which
// the first save creates. ENOTFOUND for a target area outside the scope or
// a period not in the campaign's calendar.
func (s *Service) ReportByPeriod(ctx context.Context, taID int64, period string) (*Report, error) {
	ta, c, _, err := reportContext(ctx, s.DB, taID, period, "")
	if err != nil {
		return nil, err
	}
	r, err := findReportByPeriod(ctx, s.DB, taID, period)
	if err != nil {
		return nil, err
	}
	if r == nil {
		r = emptyReport(ta, period)
	}
	s.fill(r, c)
	return r, nil
}

func emptyReport(ta *targetArea, period string) *Report {
	return &Report{CampaignID: ta.CampaignID, TargetAreaID: ta.ID, UnitID: ta.UnitID, Period: period,
		Status: domain.ReportDraft, Revision: 1, Values: domain.ReportValues{}, FieldComments: map[string]string{}}
}

// FindReports lists the reports of a target area inside the scope, by period.
func (s *Service) FindReports(ctx context.Context, taID int64) ([]*Report, error) {
	ta, err := loadTargetArea(ctx, s.DB, taID)
	if err != nil {
		return nil, err
	}
	c, err := loadCampaign(ctx, s.DB, ta.CampaignID, "")
	if err != nil {
		return nil, err
	}
	var out []*Report
	q, err := whereUnit(ctx, s.DB.NewSelect().Model(&out).Where("r.target_area_id = ?", taID).OrderExpr("r.period"), "r.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, err
	}
	for _, r := range out {
		if err := r.decode(); err != nil {
			return nil, err
		}
		s.fill(r, c)
	}
	if out == nil {
		out = []*Report{}
	}
	return out, nil
}

// stale returns the conflict of a change made from an older version of the
// report; domain.IsStale recognises it.
func (s *Service) stale(ctx context.Context, db bun.IDB, c *campaign, taID int64, period string) error {
	err := s.conflict(ctx, db, c, taID, period, msgStale)
	if e, ok := err.(*domain.Error); ok {
		e.Key = domain.KeyStale
	}
	return err
}

// conflict returns the 409 of a stale or refused change, carrying the current report.
func (s *Service) conflict(ctx context.Context, db bun.IDB, c *campaign, taID int64, period, msg string) error {
	cur, err := findReportByPeriod(ctx, db, taID, period)
	if err != nil {
		return err
	}
	e := &domain.Error{Code: domain.ECONFLICT, Message: msg}
	if cur != nil {
		s.fill(cur, c)
		e.Detail = cur
	}
	return e
}

const msgStale = "Báo cáo đã được người khác thay đổi; dữ liệu hiện tại được gửi kèm, không có gì bị ghi đè. Hãy tải lại và nhập lại thay đổi của bạn."

// SaveReport applies a partial save to a report by id; see SaveValues.
func (s *Service) SaveReport(ctx context.Context, id int64, version int, data []byte) (*Report, error) {
	r, err := findReport(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	return s.SaveValues(ctx, r.TargetAreaID, r.Period, version, data)
}

// SaveValues applies a partial save (a JSON object of indicator code →
// value, null clearing a value) to the report of a target area for a
// period, creating it when version is 0. It returns EFORBIDDEN naming the
// indicators the caller's roles may not enter, EINVALID naming every bad
// value (nothing is saved), ECONFLICT with the current report when version
// is stale or the report is submitted or accepted, ENOTFOUND outside scope.
func (s *Service) SaveValues(ctx context.Context, taID int64, period string, version int, data []byte) (*Report, error) {
	var out *Report
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		ta, c, _, err := reportContext(ctx, tx, taID, period, "SHARE")
		if err != nil {
			return err
		}
		if !reporting(ta.Status) {
			return domain.Errorf(domain.ECONFLICT, "Địa bàn chưa được phê duyệt là địa bàn trọng điểm nên chưa có báo cáo")
		}
		cat := c.catalogue()
		if ta.Status == domain.TargetRelapseWatch {
			// Only the campaign's relapse indicators: anything else is 400, named.
			if keys, ok := objectKeys(data); ok {
				if err := domain.CheckRelapseCodes(keys, c.relapse, cat); err != nil {
					return err
				}
			}
			cat = domain.RelapseCatalogue(cat, c.relapse)
		}
		if err := checkRights(data, cat, callerRoles(ctx)); err != nil {
			return err
		}
		r, err := findReportByPeriod(ctx, tx, taID, period)
		if err != nil {
			return err
		}
		now := s.now()
		if r == nil {
			if version != 0 {
				return s.stale(ctx, tx, c, taID, period)
			}
			r = emptyReport(ta, period)
		} else if r.Version != version {
			return s.stale(ctx, tx, c, taID, period)
		}
		if !domain.ReportEditable(r.Status) {
			return s.conflict(ctx, tx, c, taID, period, "Báo cáo "+domain.ReportStatusLabel(r.Status)+" nên không thể sửa; muốn sửa, cấp huyện phải trả lại báo cáo")
		}
		merged, err := domain.ApplyReportPatch(r.Values, data, cat)
		if err != nil {
			return err
		}
		before := domain.CloneValues(r.Values)
		r.Values = merged
		r.encode()
		r.UpdatedAt = now
		if r.ID == 0 {
			r.Version, r.CreatedAt = 1, now
			res, err := tx.NewInsert().Model(r).On("CONFLICT (target_area_id, period) DO NOTHING").Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return s.stale(ctx, tx, c, taID, period)
			}
			if r.ID == 0 { // SQLite's ON CONFLICT path returns no id
				created, err := findReportByPeriod(ctx, tx, taID, period)
				if err != nil || created == nil {
					return errors.Join(err, errors.New("reports: created report not found"))
				}
				r.ID = created.ID
			}
			if err := addEvent(ctx, tx, r, domain.ReportActCreate, "", domain.ReportDraft, "", nil, now); err != nil {
				return err
			}
		} else {
			cond, args, err := unitScope(ctx, "unit_id")
			if err != nil {
				return err
			}
			res, err := tx.NewUpdate().Table("reports").
				Set("report_values = ?", r.ValuesJSON).Set("version = version + 1").Set("updated_at = ?", now).
				Where("id = ?", r.ID).Where("version = ?", version).Where(cond, args...).Exec(ctx)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return s.stale(ctx, tx, c, taID, period)
			}
			r.Version = version + 1
		}
		if err := s.materialise(ctx, tx, c, r); err != nil {
			return err
		}
		if err := record(ctx, tx, r.UnitID, "report.save", "report", r.ID,
			map[string]any{"version": version, "values": before},
			map[string]any{"version": r.Version, "period": r.Period, "revision": r.Revision, "changes": domain.DiffValues(before, r.Values)}); err != nil {
			return err
		}
		s.fill(r, c)
		r.TenantID = c.row.ProvinceID
		out = r
		return nil
	})
	return out, err
}

// checkRights refuses a patch touching indicators none of roles may enter
// (EFORBIDDEN naming them). Unknown codes and malformed JSON are left to
// the validation, which answers EINVALID.
func checkRights(data []byte, cat []domain.Indicator, roles []string) error {
	keys, ok := objectKeys(data)
	if !ok {
		return nil
	}
	patch := domain.ReportValues{}
	for _, k := range keys {
		if _, known := domain.FindIndicator(cat, k); known {
			patch[k] = domain.Value{}
		}
	}
	return domain.CheckEntryRights(patch, cat, roles...)
}

func addEvent(ctx context.Context, tx bun.IDB, r *Report, action, from, to, comment string, fields map[string]string, now time.Time) error {
	e := &Event{ReportID: r.ID, Action: action, FromStatus: from, ToStatus: to, Revision: r.Revision, ActorID: actorID(ctx), Comment: comment, At: now}
	if len(fields) > 0 {
		s := mustJSON(fields)
		e.FieldCommentsJSON = &s
	}
	_, err := tx.NewInsert().Model(e).Exec(ctx)
	return err
}
