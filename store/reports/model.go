package reports

import (
	"encoding/json"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
)

// Report is one target area's report for one period. Values are the working
// copy: what is being entered (draft), or what was submitted (submitted,
// accepted), or the correction being prepared (returned). Every submission
// is kept as a Revision.
type Report struct {
	bun.BaseModel `bun:"table:reports,alias:r"`

	ID           int64  `bun:"id,pk,autoincrement" json:"id"`
	CampaignID   int64  `bun:"campaign_id,notnull" json:"campaign_id"`
	TargetAreaID int64  `bun:"target_area_id,notnull" json:"target_area_id"`
	UnitID       int64  `bun:"unit_id,notnull" json:"unit_id"`
	Period       string `bun:"period,notnull" json:"period"`
	Status       string `bun:"status,notnull" json:"status"`
	// Revision is the number of the revision the working copy becomes when
	// submitted (or became, once submitted).
	Revision int `bun:"revision,notnull" json:"revision"`
	// SubmittedRevision is the last submitted revision, 0 before the first submission.
	SubmittedRevision int `bun:"submitted_revision,notnull" json:"submitted_revision"`
	// Version counts the changes; a save names the version it edited.
	Version           int     `bun:"version,notnull" json:"version"`
	ValuesJSON        string  `bun:"report_values,notnull" json:"-"`
	FieldCommentsJSON string  `bun:"field_comments,notnull" json:"-"`
	ReviewComment     string  `bun:"review_comment,notnull" json:"review_comment"`
	AssessmentJSON    *string `bun:"assessment" json:"-"`
	// SubmittedAt is the first submission, which decides timeliness.
	SubmittedAt     *time.Time `bun:"submitted_at" json:"submitted_at"`
	LastSubmittedAt *time.Time `bun:"last_submitted_at" json:"last_submitted_at"`
	Late            bool       `bun:"late,notnull" json:"late"`
	AcceptedAt      *time.Time `bun:"accepted_at" json:"accepted_at"`
	CreatedAt       time.Time  `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt       time.Time  `bun:"updated_at,notnull" json:"updated_at"`

	Values domain.ReportValues `bun:"-" json:"values"`
	// FieldComments are the reviewer's remarks per indicator code on the last return.
	FieldComments map[string]string `bun:"-" json:"field_comments"`
	// Assessment is the reviewing district's political-system assessment (criterion 2).
	Assessment *domain.Assessment `bun:"-" json:"assessment"`
	// Timeliness is on_time, late, missing or not_due at the time of reading.
	Timeliness string `bun:"-" json:"timeliness"`
	// TenantID is the province of the campaign, for cache invalidation.
	TenantID int64 `bun:"-" json:"-"`
}

// decode fills the JSON-backed fields from their columns.
func (r *Report) decode() error {
	r.Values = domain.ReportValues{}
	if r.ValuesJSON != "" {
		if err := json.Unmarshal([]byte(r.ValuesJSON), &r.Values); err != nil {
			return err
		}
	}
	r.FieldComments = map[string]string{}
	if r.FieldCommentsJSON != "" {
		if err := json.Unmarshal([]byte(r.FieldCommentsJSON), &r.FieldComments); err != nil {
			return err
		}
	}
	r.Assessment = nil
	if r.AssessmentJSON != nil && *r.AssessmentJSON != "" && *r.AssessmentJSON != "null" {
		a := new(domain.Assessment)
		if err := json.Unmarshal([]byte(*r.AssessmentJSON), a); err != nil {
			return err
		}
		r.Assessment = a
	}
	return nil
}

// encode fills the JSON columns from the decoded fields.
func (r *Report) encode() {
	if r.Values == nil {
		r.Values = domain.ReportValues{}
	}
	if r.FieldComments == nil {
		r.FieldComments = map[string]string{}
	}
	r.ValuesJSON = mustJSON(r.Values)
	r.FieldCommentsJSON = mustJSON(r.FieldComments)
	r.AssessmentJSON = nil
	if r.Assessment != nil {
		s := mustJSON(r.Assessment)
		r.AssessmentJSON = &s
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("reports: marshal: " + err.Error())
	}
	return string(b)
}

// Revision is one submitted state of a report, never changed afterwards.
type Revision struct {
	bun.BaseModel `bun:"table:report_revisions,alias:rv"`

	ID          int64               `bun:"id,pk,autoincrement" json:"-"`
	ReportID    int64               `bun:"report_id,notnull" json:"report_id"`
	Revision    int                 `bun:"revision,notnull" json:"revision"`
	ValuesJSON  string              `bun:"report_values,notnull" json:"-"`
	SubmittedBy *int64              `bun:"submitted_by" json:"submitted_by"`
	SubmittedAt time.Time           `bun:"submitted_at,notnull" json:"submitted_at"`
	Values      domain.ReportValues `bun:"-" json:"values"`
}

// Event is one step of a report's history.
type Event struct {
	bun.BaseModel `bun:"table:report_events,alias:re"`

	ID                int64             `bun:"id,pk,autoincrement" json:"id"`
	ReportID          int64             `bun:"report_id,notnull" json:"report_id"`
	Action            string            `bun:"action,notnull" json:"action"`
	FromStatus        string            `bun:"from_status,notnull" json:"from_status"`
	ToStatus          string            `bun:"to_status,notnull" json:"to_status"`
	Revision          int               `bun:"revision,notnull" json:"revision"`
	ActorID           *int64            `bun:"actor_id" json:"actor_id"`
	Comment           string            `bun:"comment,notnull" json:"comment"`
	FieldCommentsJSON *string           `bun:"field_comments" json:"-"`
	At                time.Time         `bun:"at,notnull" json:"at"`
	FieldComments     map[string]string `bun:"-" json:"field_comments,omitempty"`
}

// Evaluation is the materialised verdict on the seven criteria for one
// target area and period, written in the same transaction as every change
// to the report, so comparisons read results rather than raw values.
type Evaluation struct {
	bun.BaseModel `bun:"table:evaluations,alias:ev"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	CampaignID     int64     `bun:"campaign_id,notnull" json:"campaign_id"`
	TargetAreaID   int64     `bun:"target_area_id,notnull" json:"target_area_id"`
	UnitID         int64     `bun:"unit_id,notnull" json:"unit_id"`
	Period         string    `bun:"period,notnull" json:"period"`
	ReportID       *int64    `bun:"report_id" json:"report_id"`
	ReportRevision int       `bun:"report_revision,notnull" json:"report_revision"`
	ReportStatus   string    `bun:"report_status,notnull" json:"report_status"`
	Timeliness     string    `bun:"timeliness,notnull" json:"timeliness"`
	MetCount       int       `bun:"met_count,notnull" json:"met_count"`
	AllMet         bool      `bun:"all_met,notnull" json:"all_met"`
	C1             string    `bun:"c1,notnull" json:"c1"`
	C2             string    `bun:"c2,notnull" json:"c2"`
	C3             string    `bun:"c3,notnull" json:"c3"`
	C4             string    `bun:"c4,notnull" json:"c4"`
	C5             string    `bun:"c5,notnull" json:"c5"`
	C6             string    `bun:"c6,notnull" json:"c6"`
	C7             string    `bun:"c7,notnull" json:"c7"`
	ResultJSON     string    `bun:"result,notnull" json:"-"`
	UpdatedAt      time.Time `bun:"updated_at,notnull" json:"updated_at"`
	// Kind is criteria (the seven criteria, in Result and c1..c7) or relapse
	// (an area under relapse watch: the relapse indicators, in Relapse;
	// c1..c7 are empty and met_count is 0).
	Kind string `bun:"kind,notnull" json:"kind"`
	// Relapsed is true when a relapse evaluation shows a warning sign.
	Relapsed bool `bun:"relapse,notnull" json:"relapsed"`

	Result  domain.Evaluation         `bun:"-" json:"result,omitzero"`
	Relapse *domain.RelapseEvaluation `bun:"-" json:"relapse,omitempty"`
}

// Kinds of evaluation.
const (
	EvaluationCriteria = "criteria"
	EvaluationRelapse  = "relapse"
)

// Statuses returns c1..c7 in order.
func (e *Evaluation) Statuses() [7]string {
	return [7]string{e.C1, e.C2, e.C3, e.C4, e.C5, e.C6, e.C7}
}

// Baseline is the count of criminal offences and social-evil cases of a
// target area in the comparison period before transformation (criterion 7).
type Baseline struct {
	bun.BaseModel `bun:"table:baselines,alias:b"`

	ID           int64       `bun:"id,pk,autoincrement" json:"id"`
	TargetAreaID int64       `bun:"target_area_id,notnull" json:"target_area_id"`
	Incidents    int64       `bun:"incidents,notnull" json:"incidents"`
	PeriodFrom   domain.Date `bun:"period_from,notnull" json:"period_from"`
	PeriodTo     domain.Date `bun:"period_to,notnull" json:"period_to"`
	Note         string      `bun:"note,notnull" json:"note"`
	EnteredBy    *int64      `bun:"entered_by" json:"entered_by"`
	Version      int         `bun:"version,notnull" json:"version"`
	CreatedAt    time.Time   `bun:"created_at,notnull" json:"created_at"`
	UpdatedAt    time.Time   `bun:"updated_at,notnull" json:"updated_at"`
	// TenantID and CampaignID name the views a change invalidates.
	TenantID   int64 `bun:"-" json:"-"`
	CampaignID int64 `bun:"-" json:"-"`
}

// Exit is one exit proposal of a target area and the province's decision on it.
type Exit struct {
	bun.BaseModel `bun:"table:target_area_exits,alias:x"`

	ID           int64            `bun:"id,pk,autoincrement" json:"id"`
	TargetAreaID int64            `bun:"target_area_id,notnull" json:"target_area_id"`
	ReportID     int64            `bun:"report_id,notnull" json:"report_id"`
	Period       string           `bun:"period,notnull" json:"period"`
	Evidence     string           `bun:"evidence,notnull" json:"evidence"`
	SnapshotJSON string           `bun:"snapshot,notnull" json:"-"`
	ProposedBy   *int64           `bun:"proposed_by" json:"proposed_by"`
	ProposedAt   time.Time        `bun:"proposed_at,notnull" json:"proposed_at"`
	Outcome      string           `bun:"outcome,notnull" json:"outcome"`
	DecisionJSON *string          `bun:"decision" json:"-"`
	Reason       string           `bun:"reason,notnull" json:"reason"`
	DecidedBy    *int64           `bun:"decided_by" json:"decided_by"`
	DecidedAt    *time.Time       `bun:"decided_at" json:"decided_at"`
	Snapshot     *ExitSnapshot    `bun:"-" json:"snapshot"`
	Decision     *domain.Document `bun:"-" json:"decision"`
	// TargetStatus is the target area's status after the step.
	TargetStatus string `bun:"-" json:"target_status"`
	TenantID     int64  `bun:"-" json:"-"`
	CampaignID   int64  `bun:"-" json:"-"`
}

func (x *Exit) decode() error {
	if x.SnapshotJSON != "" {
		x.Snapshot = new(ExitSnapshot)
		if err := json.Unmarshal([]byte(x.SnapshotJSON), x.Snapshot); err != nil {
			return err
		}
	}
	if x.DecisionJSON != nil && *x.DecisionJSON != "" && *x.DecisionJSON != "null" {
		x.Decision = new(domain.Document)
		if err := json.Unmarshal([]byte(*x.DecisionJSON), x.Decision); err != nil {
			return err
		}
	}
	return nil
}

// ExitSnapshot is what an exit proposal rests on, frozen when it is made:
// the accepted report of the exit period, its evaluation, the baseline and
// the district's evidence.
type ExitSnapshot struct {
	Period         string              `json:"period"`
	ReportID       int64               `json:"report_id"`
	ReportRevision int                 `json:"report_revision"`
	Values         domain.ReportValues `json:"values"`
	Assessment     *domain.Assessment  `json:"assessment"`
	Baseline       *Baseline           `json:"baseline"`
	Evaluation     domain.Evaluation   `json:"evaluation"`
	Evidence       string              `json:"evidence"`
	ProposedAt     time.Time           `json:"proposed_at"`
}
