package domain

import "time"

// Event types: a fact an acknowledged write made true. Each is emitted once
// per write, inside the write's transaction, into the durable job queue
// (store/outbox); consumers on any instance act on it after the commit.
const (
	EventReportSubmitted    = "report.submitted"
	EventReportReturned     = "report.returned"
	EventReportAccepted     = "report.accepted"
	EventPlanSubmitted      = "plan.submitted"
	EventTargetAreaApproved = "target_area.approved"
	EventUnitRenamed        = "unit.renamed"
)

// Event is one domain event. TenantID and CampaignID say which views it
// changes: CampaignID 0 means every campaign of the tenant (a unit renamed
// shows in all of them).
type Event struct {
	Type       string    `json:"type"`
	TenantID   int64     `json:"tenant_id"`
	CampaignID int64     `json:"campaign_id,omitempty"`
	ObjectType string    `json:"object_type,omitempty"`
	ObjectID   int64     `json:"object_id,omitempty"`
	ActorID    int64     `json:"actor_id,omitempty"`
	At         time.Time `json:"at"`
}
