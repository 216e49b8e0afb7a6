package campaigns

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"chuyenhoa/domain"
	"chuyenhoa/tenants"
)

// What an attachment can be evidence of.
const (
	OwnerTargetArea   = "target_area"
	OwnerPlan         = "plan"
	OwnerTask         = "task"
	OwnerProgressNote = "progress_note"
)

// Attachment is the record of a stored file: which unit owns it (and so who
// may read it), what it is evidence of, and what it is.
type Attachment struct {
	bun.BaseModel `bun:"table:attachments,alias:a" json:"-"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	UnitID      int64     `bun:"unit_id,notnull" json:"unit_id"`
	OwnerType   string    `bun:"owner_type,notnull" json:"owner_type"`
	OwnerID     int64     `bun:"owner_id,notnull" json:"owner_id"`
	Name        string    `bun:"name,notnull" json:"name"`
	ContentType string    `bun:"content_type,notnull" json:"content_type"`
	Size        int64     `bun:"size,notnull" json:"size"`
	SHA256      string    `bun:"sha256,notnull" json:"sha256"`
	StorageKey  string    `bun:"storage_key,notnull" json:"-"`
	CreatedBy   *int64    `bun:"created_by" json:"created_by"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"created_at"`
}

// AttachmentPermission returns the permission ("resource:verb") that adding
// evidence to an owner of ownerType needs on top of attachment:write: an
// attachment is a change of the object it attaches to, so a plan, a task
// and a progress note need plan:write (the police read plans only). A
// target area needs nothing more; "" for an unknown type.
func AttachmentPermission(ownerType string) string {
	switch ownerType {
	case OwnerPlan, OwnerTask, OwnerProgressNote:
		return "plan:write"
	case OwnerTargetArea:
		return "target:read"
	}
	return ""
}

// AttachmentOwner resolves what an attachment is to be evidence of and
// returns the unit that owns it. The owner must be reachable (ENOTFOUND)
// and the caller must be allowed to add evidence to it (EFORBIDDEN): for a
// plan, task or progress note, the plan's author unit; for a target area,
// a unit whose scope covers it. EINVALID names "owner_type".
func AttachmentOwner(ctx context.Context, db bun.IDB, ownerType string, ownerID int64, actor Actor, now time.Time) (unitID int64, err error) {
	switch ownerType {
	case OwnerTargetArea:
		ta, err := FindTargetAreaByID(ctx, db, ownerID)
		if err != nil {
			return 0, err
		}
		return ta.UnitID, nil
	case OwnerPlan, OwnerTask, OwnerProgressNote:
		planID := ownerID
		switch ownerType {
		case OwnerTask:
			_, p, err := findTask(ctx, db, ownerID)
			if err != nil {
				return 0, err
			}
			planID = p.ID
		case OwnerProgressNote:
			n := new(noteRow)
			if err := db.NewSelect().Model(n).Where("tn.id = ?", ownerID).Scan(ctx); err != nil {
				return 0, notFound(err, "Ghi nhận tiến độ")
			}
			// A note of a task out of reach answers as an absent note,
			// not as an absent task: the message must not tell them apart.
			_, p, err := findTask(ctx, db, n.TaskID)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return 0, domain.NotFound("Ghi nhận tiến độ")
			} else if err != nil {
				return 0, err
			}
			planID = p.ID
		}
		row, err := findPlanRow(ctx, db, planID)
		if err != nil {
			return 0, err
		}
		p := row.plan(now)
		if actor.UnitID != p.UnitID {
			return 0, domain.Errorf(domain.EFORBIDDEN, "Chỉ %s (đơn vị soạn kế hoạch) mới được đính kèm tài liệu minh chứng vào kế hoạch này.", p.UnitName)
		}
		return p.UnitID, nil
	}
	return 0, domain.Invalid("Dữ liệu không hợp lệ", map[string]string{"owner_type": "Phải là target_area, plan, task hoặc progress_note"})
}

// CreateAttachment stores an attachment's record. The caller has stored the
// content under a.StorageKey and checked the owner with AttachmentOwner.
func CreateAttachment(ctx context.Context, db bun.IDB, a *Attachment) error {
	if _, err := tenants.FindUnitByID(ctx, db, a.UnitID); err != nil {
		return err
	}
	_, err := db.NewInsert().Model(a).Returning("id").Exec(ctx)
	return err
}

// FindAttachmentByID returns an attachment whose owning unit is inside the
// caller's scope; ENOTFOUND otherwise.
func FindAttachmentByID(ctx context.Context, db bun.IDB, id int64) (*Attachment, error) {
	a := new(Attachment)
	q, err := tenants.WhereUnit(ctx, db.NewSelect().Model(a).Where("a.id = ?", id), "a.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.Scan(ctx); err != nil {
		return nil, notFound(err, "Tệp đính kèm")
	}
	return a, nil
}

// FindAttachments lists the attachments of one owner inside the caller's scope.
func FindAttachments(ctx context.Context, db bun.IDB, ownerType string, ownerID int64) ([]*Attachment, error) {
	var out []*Attachment
	q, err := tenants.WhereUnit(ctx, db.NewSelect().Model(&out).Where("a.owner_type = ? AND a.owner_id = ?", ownerType, ownerID), "a.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("a.id").Scan(ctx); err != nil {
		return nil, err
	}
	return nonNil(out), nil
}

// FindAttachmentsOf lists the attachments of several owners of one type
// inside the caller's scope, in upload order: the evidence of a plan's
// tasks or notes in one query.
func FindAttachmentsOf(ctx context.Context, db bun.IDB, ownerType string, ownerIDs []int64) ([]*Attachment, error) {
	out := []*Attachment{}
	if len(ownerIDs) == 0 {
		return out, nil
	}
	q, err := tenants.WhereUnit(ctx, db.NewSelect().Model(&out).Where("a.owner_type = ? AND a.owner_id IN (?)", ownerType, bun.In(ownerIDs)), "a.unit_id")
	if err != nil {
		return nil, err
	}
	if err := q.OrderExpr("a.id").Scan(ctx); err != nil {
		return nil, err
	}
	return out, nil
}
