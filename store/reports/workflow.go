package reports

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// IdemKey identifies a retried request: the same user, key, route and body
// hash get the first answer again; the same key with another route or body
// is refused (EUNPROCESSABLE).
type IdemKey struct {
	UserID   int64
	Key      string
	Route    string
	BodyHash string
}

// idemRow is a stored idempotency key with its first answer.
type idemRow struct {
	bun.BaseModel `bun:"table:idempotency_keys,alias:ik"`

	ID        int64     `bun:"id,pk,autoincrement"`
	UserID    int64     `bun:"user_id,notnull"`
	Key       string    `bun:"idem_key,notnull"`
	Route     string    `bun:"route,notnull"`
	BodyHash  string    `bun:"body_hash,notnull"`
	Status    int       `bun:"status,notnull"`
	Response  string    `bun:"response,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// Result is the answer of an idempotent write: the JSON body and status the
// first request got, and whether this one replays it.
type Result struct {
	Status   int
	Body     []byte
	Replayed bool
	Report   *Report
}

// DefaultIdempotencyTTL is how long an Idempotency-Key replays its first
// answer: a day, as payment APIs keep theirs. After it the key is free again
// and a request carrying it is a new request.
const DefaultIdempotencyTTL = 24 * time.Hour

func (s *Service) idemTTL() time.Duration {
	if s.IdempotencyTTL > 0 {
		return s.IdempotencyTTL
	}
	return DefaultIdempotencyTTL
}

// expireKeys deletes every idempotency key created at or before cutoff, of every
// user: the table holds at most a day of keys. It runs in its own statement
// before the write, so a refused write does not undo the cleanup.
func expireKeys(ctx context.Context, db bun.IDB, cutoff time.Time) error {
	_, err := db.NewDelete().TableExpr("idempotency_keys").Where("created_at <= ?", cutoff).Exec(ctx)
	return err
}

// claim inserts key, or returns the live row already stored for it. A row
// created at or before cutoff has expired: it is taken over by this request as if
// new. On PostgreSQL a concurrent claim of the same key waits for the first
// transaction and then sees its row; SQLite runs one writer at a time.
func claim(ctx context.Context, tx bun.IDB, k *IdemKey, now, cutoff time.Time) (*idemRow, error) {
	row := &idemRow{UserID: k.UserID, Key: k.Key, Route: k.Route, BodyHash: k.BodyHash, Response: "", CreatedAt: now}
	res, err := tx.NewInsert().Model(row).On("CONFLICT (user_id, idem_key) DO NOTHING").Exec(ctx)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return nil, nil
	}
	old := new(idemRow)
	if err := tx.NewSelect().Model(old).Where("ik.user_id = ?", k.UserID).Where("ik.idem_key = ?", k.Key).Scan(ctx); err != nil {
		return nil, err
	}
	if old.CreatedAt.After(cutoff) {
		return old, nil
	}
	// Expired (not yet cleaned up): the key starts over with this request.
	res, err = tx.NewUpdate().Table("idempotency_keys").
		Set("route = ?", k.Route).Set("body_hash = ?", k.BodyHash).Set("status = 0").Set("response = ''").Set("created_at = ?", now).
		Where("id = ?", old.ID).Where("created_at <= ?", cutoff).Exec(ctx)
	if err != nil {
		return nil, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		// A concurrent request took the key over first and has committed:
		// this one is its retry.
		live := new(idemRow)
		err := tx.NewSelect().Model(live).Where("ik.id = ?", old.ID).Scan(ctx)
		return live, err
	}
	return nil, nil
}

// SubmitInput is the body of a submission.
type SubmitInput struct {
	// Version, when given, must be the report's current version.
	Version *int `json:"version,omitempty"`
}

// Submit sends a draft or returned report to the unit above the ward: the working
// values become a new revision, kept forever. With key, a retry of the
// same request within the key's lifetime (IdempotencyTTL) returns the first
// answer and changes nothing, and the same key with a different request is
// EUNPROCESSABLE; an expired key is a new key, and every keyed submission
// first deletes the expired keys. ECONFLICT when the report is already
// submitted or accepted, or version is stale.
func (s *Service) Submit(ctx context.Context, id int64, in SubmitInput, key *IdemKey) (*Result, error) {
	var out *Result
	now := s.now()
	cutoff := now.Add(-s.idemTTL()) // a key created at or before it has expired
	if key != nil {
		if err := expireKeys(ctx, s.DB, cutoff); err != nil {
			return nil, err
		}
	}
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if key != nil {
			old, err := claim(ctx, tx, key, now, cutoff)
			if err != nil {
				return err
			}
			if old != nil {
				if old.Route != key.Route || old.BodyHash != key.BodyHash {
					return domain.Errorf(domain.EUNPROCESSABLE, "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới")
				}
				out = &Result{Status: old.Status, Body: []byte(old.Response), Replayed: true}
				return nil
			}
		}
		r, err := s.submit(ctx, tx, id, in, now)
		if err != nil {
			return err
		}
		body, err := json.Marshal(r)
		if err != nil {
			return err
		}
		out = &Result{Status: http.StatusOK, Body: body, Report: r}
		if key != nil {
			_, err := tx.NewUpdate().Table("idempotency_keys").Set("status = ?", out.Status).Set("response = ?", string(body)).
				Where("user_id = ?", key.UserID).Where("idem_key = ?", key.Key).Exec(ctx)
			return err
		}
		return nil
	})
	return out, err
}

func (s *Service) submit(ctx context.Context, tx bun.IDB, id int64, in SubmitInput, now time.Time) (*Report, error) {
	r, err := findReport(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	c, err := loadCampaign(ctx, tx, r.CampaignID, "SHARE")
	if err != nil {
		return nil, err
	}
	p, ok := c.period(r.Period)
	if !ok {
		return nil, domain.Errorf(domain.ECONFLICT, "Kỳ báo cáo “%s” không còn trong lịch báo cáo", r.Period)
	}
	if in.Version != nil && *in.Version != r.Version {
		return nil, s.stale(ctx, tx, c, r.TargetAreaID, r.Period)
	}
	if !domain.ReportEditable(r.Status) {
		return nil, s.conflict(ctx, tx, c, r.TargetAreaID, r.Period, "Báo cáo "+domain.ReportStatusLabel(r.Status)+", không thể gửi lại")
	}
	if err := domain.ValidateReportValues(r.Values); err != nil {
		return nil, err
	}
	rev := &Revision{ReportID: r.ID, Revision: r.Revision, ValuesJSON: r.ValuesJSON, SubmittedBy: actorID(ctx), SubmittedAt: now}
	if _, err := tx.NewInsert().Model(rev).Exec(ctx); err != nil {
		return nil, err
	}
	from := r.Status
	if r.SubmittedAt == nil {
		t := now
		r.SubmittedAt = &t
		r.Late = domain.IsLate(now, p)
	}
	r.LastSubmittedAt = &now
	r.Status, r.SubmittedRevision = domain.ReportSubmitted, r.Revision
	if err := s.update(ctx, tx, r, now, "status", "submitted_revision", "submitted_at", "last_submitted_at", "late"); err != nil {
		return nil, s.staleOr(ctx, tx, c, r, err)
	}
	if err := addEvent(ctx, tx, r, domain.ReportActSubmit, from, r.Status, "", nil, now); err != nil {
		return nil, err
	}
	if err := s.materialise(ctx, tx, c, r); err != nil {
		return nil, err
	}
	if err := record(ctx, tx, r.UnitID, "report.submit", "report", r.ID,
		map[string]any{"status": from}, map[string]any{"status": r.Status, "revision": r.Revision, "late": r.Late}); err != nil {
		return nil, err
	}
	if err := s.emit(ctx, tx, r, domain.EventReportSubmitted, now); err != nil {
		return nil, err
	}
	return r, nil
}

var errStale = errors.New("stale version")

// update writes columns of r guarded by its version, bumping the version.
func (s *Service) update(ctx context.Context, tx bun.IDB, r *Report, now time.Time, columns ...string) error {
	r.encode()
	cond, args, err := unitScope(ctx, "unit_id")
	if err != nil {
		return err
	}
	q := tx.NewUpdate().Table("reports")
	vals := map[string]any{
		"status": r.Status, "revision": r.Revision, "submitted_revision": r.SubmittedRevision,
		"report_values": r.ValuesJSON, "field_comments": r.FieldCommentsJSON, "review_comment": r.ReviewComment,
		"assessment": r.AssessmentJSON, "submitted_at": r.SubmittedAt, "last_submitted_at": r.LastSubmittedAt,
		"late": r.Late, "accepted_at": r.AcceptedAt,
	}
	for _, col := range columns {
		v, ok := vals[col]
		if !ok {
			return errors.New("reports: unknown column " + col)
		}
		q = q.Set("? = ?", bun.Ident(col), v)
	}
	res, err := q.Set("version = version + 1").Set("updated_at = ?", now).
		Where("id = ?", r.ID).Where("version = ?", r.Version).Where(cond, args...).Exec(ctx)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return errStale
	}
	r.Version++
	r.UpdatedAt = now
	return nil
}

func (s *Service) staleOr(ctx context.Context, tx bun.IDB, c *campaign, r *Report, err error) error {
	if errors.Is(err, errStale) {
		return s.stale(ctx, tx, c, r.TargetAreaID, r.Period)
	}
	return err
}

// ReviewInput is the body of an accept.
type ReviewInput struct {
	Version *int   `json:"version,omitempty"`
	Comment string `json:"comment,omitempty"`
}

// ReturnInput is the body of a return: the reason, remarks per indicator.
type ReturnInput struct {
	domain.ReturnInput
	Version *int `json:"version,omitempty"`
}

// AssessInput is the body of the political-system assessment.
type AssessInput struct {
	domain.Assessment
	Version *int `json:"version,omitempty"`
}

// review runs a reviewer's step on a report: load, check the caller is the
// unit directly above the report's ward (its district, or the province for
// a ward directly under it), check version, apply, write, evaluate, audit.
func (s *Service) review(ctx context.Context, id int64, version *int, separate bool, apply func(r *Report, c *campaign, now time.Time) (action, comment string, fields map[string]string, cols []string, err error)) (*Report, error) {
	var out *Report
	err := s.tx(ctx, func(ctx context.Context, tx bun.Tx) error {
		r, err := findReport(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := checkParent(ctx, tx, r.UnitID, msgParentReview); err != nil {
			return err
		}
		if separate {
			if err := checkSeparation(ctx, tx, r.ID); err != nil {
				return err
			}
		}
		c, err := loadCampaign(ctx, tx, r.CampaignID, "SHARE")
		if err != nil {
			return err
		}
		if version != nil && *version != r.Version {
			return s.stale(ctx, tx, c, r.TargetAreaID, r.Period)
		}
		now := s.now()
		from := r.Status
		before := map[string]any{"status": r.Status, "revision": r.Revision, "assessment": r.Assessment}
		action, comment, fields, cols, err := apply(r, c, now)
		if err != nil {
			var de *domain.Error
			if errors.As(err, &de) && de.Code == domain.ECONFLICT && de.Detail == nil {
				s.fill(r, c)
				de.Detail = r
			}
			return err
		}
		if err := s.update(ctx, tx, r, now, cols...); err != nil {
			return s.staleOr(ctx, tx, c, r, err)
		}
		if err := addEvent(ctx, tx, r, action, from, r.Status, comment, fields, now); err != nil {
			return err
		}
		if err := s.materialise(ctx, tx, c, r); err != nil {
			return err
		}
		after := map[string]any{"status": r.Status, "revision": r.Revision, "assessment": r.Assessment, "comment": comment, "fields": fields}
		if err := record(ctx, tx, r.UnitID, "report."+action, "report", r.ID, before, after); err != nil {
			return err
		}
		if typ, ok := reviewEvents[action]; ok {
			if err := s.emit(ctx, tx, r, typ, now); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	return out, err
}

// checkSeparation refuses a review by a user who entered or submitted any
// of the report's values (separation of duties): a user holding both an
// entering role and the reviewing unit's role — a district user who is
// also its police — must not accept or return its own figures. The audit
// trail is the record of who saved and submitted. EFORBIDDEN.
func checkSeparation(ctx context.Context, tx bun.IDB, reportID int64) error {
	id := actorID(ctx)
	if id == nil {
		return nil
	}
	took, err := tx.NewSelect().TableExpr("audit_log AS al").
		Where("al.object_type = 'report' AND al.object_id = ?", strconv.FormatInt(reportID, 10)).
		Where("al.action IN ('report.save', 'report.submit')").
		Where("al.actor_id = ?", *id).Exists(ctx)
	if err != nil {
		return err
	}
	if took {
		return domain.Errorf(domain.EFORBIDDEN, "Bạn đã nhập hoặc gửi số liệu của báo cáo này nên không được duyệt (chấp nhận hoặc trả lại) nó; việc duyệt phải do một cán bộ khác thực hiện")
	}
	return nil
}

func wrongStatus(r *Report, what string) error {
	return domain.Errorf(domain.ECONFLICT, "Không thể %s vì báo cáo đang ở trạng thái “%s”", what, domain.ReportStatusLabel(r.Status))
}

// Return sends a submitted report back with a reason and optional remarks
// per indicator; the submitted revision stays as it was and the correction
// becomes the next revision. EINVALID without a reason, ECONFLICT unless submitted.
func (s *Service) Return(ctx context.Context, id int64, in ReturnInput) (*Report, error) {
	return s.review(ctx, id, in.Version, true, func(r *Report, c *campaign, now time.Time) (string, string, map[string]string, []string, error) {
		if r.Status != domain.ReportSubmitted {
			return "", "", nil, nil, wrongStatus(r, "trả lại")
		}
		if err := domain.ValidateReturn(in.ReturnInput, c.catalogue()); err != nil {
			return "", "", nil, nil, err
		}
		r.Status = domain.ReportReturned
		r.Revision = r.SubmittedRevision + 1
		r.ReviewComment = in.Reason
		r.FieldComments = in.Fields
		return domain.ReportActReturn, in.Reason, in.Fields, []string{"status", "revision", "review_comment", "field_comments"}, nil
	})
}

// Accept accepts a submitted report. ECONFLICT unless submitted.
func (s *Service) Accept(ctx context.Context, id int64, in ReviewInput) (*Report, error) {
	return s.review(ctx, id, in.Version, true, func(r *Report, c *campaign, now time.Time) (string, string, map[string]string, []string, error) {
		if r.Status != domain.ReportSubmitted {
			return "", "", nil, nil, wrongStatus(r, "chấp nhận")
		}
		r.Status = domain.ReportAccepted
		r.AcceptedAt = &now
		r.ReviewComment = in.Comment
		r.FieldComments = map[string]string{}
		return domain.ReportActAccept, in.Comment, nil, []string{"status", "accepted_at", "review_comment", "field_comments"}, nil
	})
}

// Assess records the reviewing unit's (the ward's district, or the
// province for a ward directly under it) assessment of the political
// system (criterion 2) on a submitted or accepted report; the submitted
// values are not touched. EINVALID without a note when not met.
func (s *Service) Assess(ctx context.Context, id int64, in AssessInput) (*Report, error) {
	return s.review(ctx, id, in.Version, false, func(r *Report, c *campaign, now time.Time) (string, string, map[string]string, []string, error) {
		if r.Status != domain.ReportSubmitted && r.Status != domain.ReportAccepted {
			return "", "", nil, nil, wrongStatus(r, "đánh giá hệ thống chính trị")
		}
		if err := domain.ValidateAssessment(in.Assessment); err != nil {
			return "", "", nil, nil, err
		}
		a := in.Assessment
		r.Assessment = &a
		return domain.ReportActAssess, a.Note, nil, []string{"assessment"}, nil
	})
}

// FindRevisions lists every submitted revision of a report, oldest first.
func (s *Service) FindRevisions(ctx context.Context, id int64) ([]*Revision, error) {
	if _, err := findReport(ctx, s.DB, id); err != nil {
		return nil, err
	}
	var out []*Revision
	cond, args, err := unitScope(ctx, "sr.unit_id")
	if err != nil {
		return nil, err
	}
	if err := s.DB.NewSelect().Model(&out).Where("rv.report_id = ?", id).
		Where("rv.report_id IN (SELECT sr.id FROM reports AS sr WHERE "+cond+")", args...).
		OrderExpr("rv.revision").Scan(ctx); err != nil {
		return nil, err
	}
	for _, rv := range out {
		if err := json.Unmarshal([]byte(rv.ValuesJSON), &rv.Values); err != nil {
			return nil, err
		}
	}
	if out == nil {
		out = []*Revision{}
	}
	return out, nil
}

// Diff is the difference between two revisions of a report.
type Diff struct {
	ReportID int64                `json:"report_id"`
	From     int                  `json:"from"`
	To       int                  `json:"to"`
	Changes  []domain.ValueChange `json:"changes"`
}

// DiffRevisions compares revision from with revision to of a report; to = 0
// compares with the working copy. ENOTFOUND for a revision that does not exist.
func (s *Service) DiffRevisions(ctx context.Context, id int64, from, to int) (*Diff, error) {
	r, err := findReport(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	revs, err := s.FindRevisions(ctx, id)
	if err != nil {
		return nil, err
	}
	get := func(n int) (domain.ReportValues, error) {
		if n == 0 {
			return r.Values, nil
		}
		for _, rv := range revs {
			if rv.Revision == n {
				return rv.Values, nil
			}
		}
		return nil, domain.NotFound("Lần gửi báo cáo")
	}
	a, err := get(from)
	if err != nil {
		return nil, err
	}
	b, err := get(to)
	if err != nil {
		return nil, err
	}
	ch := domain.DiffValues(a, b)
	if ch == nil {
		ch = []domain.ValueChange{}
	}
	return &Diff{ReportID: id, From: from, To: to, Changes: ch}, nil
}

// FindEvents returns a report's history, oldest first.
func (s *Service) FindEvents(ctx context.Context, id int64) ([]*Event, error) {
	if _, err := findReport(ctx, s.DB, id); err != nil {
		return nil, err
	}
	cond, args, err := unitScope(ctx, "sr.unit_id")
	if err != nil {
		return nil, err
	}
	var out []*Event
	if err := s.DB.NewSelect().Model(&out).Where("re.report_id = ?", id).
		Where("re.report_id IN (SELECT sr.id FROM reports AS sr WHERE "+cond+")", args...).
		OrderExpr("re.at, re.id").Scan(ctx); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	for _, e := range out {
		if e.FieldCommentsJSON != nil {
			if err := json.Unmarshal([]byte(*e.FieldCommentsJSON), &e.FieldComments); err != nil {
				return nil, err
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	if out == nil {
		out = []*Event{}
	}
	return out, nil
}

// Replay returns the stored answer of a completed submission made with key
// within its lifetime, or nil when the key has not been used (or has
// expired, or is still being answered). It changes nothing: a form that
// saves before it submits asks first, so its repeat does not trip over its
// own earlier save. A key used for another request is EUNPROCESSABLE.
func (s *Service) Replay(ctx context.Context, key *IdemKey) (*Result, error) {
	if key == nil {
		return nil, nil
	}
	cutoff := s.now().Add(-s.idemTTL())
	var rows []idemRow
	if err := s.DB.NewSelect().Model(&rows).Where("ik.user_id = ?", key.UserID).Where("ik.idem_key = ?", key.Key).
		Where("ik.created_at > ?", cutoff).Where("ik.status <> 0").Limit(1).Scan(ctx); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, nil
	}
	old := rows[0]
	if old.Route != key.Route || old.BodyHash != key.BodyHash {
		return nil, domain.Errorf(domain.EUNPROCESSABLE, "Khóa Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khóa mới cho yêu cầu mới")
	}
	return &Result{Status: old.Status, Body: []byte(old.Response), Replayed: true}, nil
}
