package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"

	"github.com/uptrace/bun"

	"chuyenhoa/authz/identity"
	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
	"chuyenhoa/store/files"
)

// The plan, task, progress-note, evidence, committee and model commands:
// one transaction each, with its audit entry. The JSON API and the web
// pages both call these (as campaign_commands.go for campaigns and target
// areas), so a rule or a scope check lives in one place: the store.

// createPlanCmd starts the caller's unit's draft plan.
func (s *Server) createPlanCmd(ctx context.Context, in campaigns.NewPlan) (*campaigns.Plan, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.Plan
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if out, err = campaigns.CreatePlan(ctx, tx, in, actor, s.now()); err != nil {
			return err
		}
		return record(ctx, tx, "plan.create", "plan", out.ID, out.UnitID, nil, out)
	})
	if err != nil {
		return nil, err
	}
	out.Decorate(actor)
	return out, nil
}

// copyPlanCmd starts the caller's unit's draft plan from a plan it can read.
func (s *Server) copyPlanCmd(ctx context.Context, sourceID int64) (*campaigns.Plan, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.Plan
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if out, err = campaigns.CopyPlan(ctx, tx, sourceID, actor, s.now()); err != nil {
			return err
		}
		return record(ctx, tx, "plan.copy", "plan", out.ID, out.UnitID, nil, out)
	})
	if err != nil {
		return nil, err
	}
	out.Decorate(actor)
	return out, nil
}

// planChange is one change of a plan by actor, returning it before and after.
type planChange func(ctx context.Context, tx bun.IDB, id int64, actor campaigns.Actor) (before, after *campaigns.Plan, err error)

// planChangeCmd runs one change of a plan in a transaction, audits it and
// returns the plan after it, decorated for the caller.
func (s *Server) planChangeCmd(ctx context.Context, id int64, action string, change planChange) (*campaigns.Plan, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.Plan
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		before, after, err := change(ctx, tx, id, actor)
		if err != nil {
			return err
		}
		out = after
		if err := record(ctx, tx, action, "plan", id, after.UnitID, before, after); err != nil {
			return err
		}
		if action == "plan."+domain.PlanActSubmit {
			return s.emitCampaignEvent(ctx, tx, domain.EventPlanSubmitted, after.CampaignID, "plan", id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out.Decorate(actor)
	return out, nil
}

// updatePlanCmd changes a plan's heading.
func (s *Server) updatePlanCmd(ctx context.Context, id int64, upd campaigns.PlanUpdate) (*campaigns.Plan, error) {
	return s.planChangeCmd(ctx, id, "plan.update", func(ctx context.Context, tx bun.IDB, id int64, actor campaigns.Actor) (*campaigns.Plan, *campaigns.Plan, error) {
		return campaigns.UpdatePlan(ctx, tx, id, upd, actor, s.now())
	})
}

// replaceObjectivesCmd replaces a plan's objectives.
func (s *Server) replaceObjectivesCmd(ctx context.Context, id int64, version *int, items []campaigns.ObjectiveInput) (*campaigns.Plan, error) {
	return s.planChangeCmd(ctx, id, "plan.objectives", func(ctx context.Context, tx bun.IDB, id int64, actor campaigns.Actor) (*campaigns.Plan, *campaigns.Plan, error) {
		return campaigns.ReplaceObjectives(ctx, tx, id, version, items, actor, s.now())
	})
}

// replaceBudgetCmd replaces a plan's budget estimate.
func (s *Server) replaceBudgetCmd(ctx context.Context, id int64, version *int, items []campaigns.BudgetLineInput) (*campaigns.Plan, error) {
	return s.planChangeCmd(ctx, id, "plan.budget", func(ctx context.Context, tx bun.IDB, id int64, actor campaigns.Actor) (*campaigns.Plan, *campaigns.Plan, error) {
		return campaigns.ReplaceBudget(ctx, tx, id, version, items, actor, s.now())
	})
}

// planActionCmd submits, returns or approves a plan.
func (s *Server) planActionCmd(ctx context.Context, id int64, action string, in campaigns.PlanAction) (*campaigns.Plan, error) {
	return s.planChangeCmd(ctx, id, "plan."+action, func(ctx context.Context, tx bun.IDB, id int64, actor campaigns.Actor) (*campaigns.Plan, *campaigns.Plan, error) {
		return campaigns.ActOnPlan(ctx, tx, id, action, in, actor, s.now())
	})
}

// addTaskCmd appends a task to an editable plan.
func (s *Server) addTaskCmd(ctx context.Context, planID int64, version *int, in campaigns.TaskInput) (*campaigns.Task, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.Task
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if out, err = campaigns.AddTask(ctx, tx, planID, version, in, actor, s.now()); err != nil {
			return err
		}
		return record(ctx, tx, "task.create", "task", out.ID, actor.UnitID, nil, out)
	})
	return out, err
}

// updateTaskCmd changes a task (content while the plan is editable, status at any time but under review).
func (s *Server) updateTaskCmd(ctx context.Context, id int64, upd campaigns.TaskUpdate) (*campaigns.Task, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.Task
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		before, after, err := campaigns.UpdateTask(ctx, tx, id, upd, actor, s.now())
		if err != nil {
			return err
		}
		out = after
		return record(ctx, tx, "task.update", "task", id, actor.UnitID, before, after)
	})
	return out, err
}

// deleteTaskCmd removes a task without progress or evidence from an editable plan.
func (s *Server) deleteTaskCmd(ctx context.Context, id int64, version *int) (*campaigns.Task, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.Task
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t, p, err := campaigns.DeleteTask(ctx, tx, id, version, actor, s.now())
		if err != nil {
			return err
		}
		out = t
		return record(ctx, tx, "task.delete", "task", id, p.UnitID, t, nil)
	})
	return out, err
}

// addNoteCmd records progress on a task and, when up is not nil, stores it
// as the note's evidence in the same transaction: a refused file stores no
// note, and a refused note stores no file.
func (s *Server) addNoteCmd(ctx context.Context, taskID int64, in campaigns.ProgressNoteInput, up *upload) (*domain.ProgressNote, *campaigns.Attachment, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, nil, err
	}
	var note *domain.ProgressNote
	var att *campaigns.Attachment
	var stored string
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		n, p, err := campaigns.AddProgressNote(ctx, tx, taskID, in, actor, s.now())
		if err != nil {
			return err
		}
		note = n
		if err := record(ctx, tx, "task.progress", "progress_note", n.ID, p.UnitID, nil, n); err != nil {
			return err
		}
		if up == nil {
			return nil
		}
		att, stored, err = s.attachTx(ctx, tx, up, campaigns.OwnerProgressNote, n.ID, actor)
		if err == nil {
			note.AttachmentIDs = append(note.AttachmentIDs, att.ID)
		}
		return err
	})
	if err != nil {
		if stored != "" {
			s.files.Delete(context.Background(), stored)
		}
		return nil, nil, err
	}
	return note, att, nil
}

// upload is a file received as evidence: its size and type (judged by
// content) checked and its hash computed, not yet stored.
type upload struct {
	file        multipart.File
	name        string
	size        int64
	contentType string
	sha256      string
}

// Close releases the received file.
func (u *upload) Close() error { return u.file.Close() }

// readUpload checks a received file against the evidence rules — at most
// 20 MB, PDF, images, office documents or UTF-8 text judged by content —
// with EINVALID naming "file". The caller closes the upload.
func readUpload(fh *multipart.FileHeader) (*upload, error) {
	if fh.Size > files.MaxSize {
		return nil, domain.FieldErrors{"file": domain.MsgFileTooLarge(cleanFileName(fh.Filename))}.Invalid("Tệp quá lớn")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	ct, err := files.DetectType(f, fh.Size)
	if err != nil {
		f.Close()
		return nil, err
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, fh.Size)); err != nil {
		f.Close()
		return nil, err
	}
	return &upload{file: f, name: files.NameForType(cleanFileName(fh.Filename), ct), size: fh.Size, contentType: ct, sha256: hex.EncodeToString(h.Sum(nil))}, nil
}

// attachTx records up as evidence of the owner, which the actor must be
// allowed to add evidence to, and stores its content; it returns the
// storage key written, for the caller to delete should the transaction
// fail after it.
func (s *Server) attachTx(ctx context.Context, tx bun.IDB, up *upload, ownerType string, ownerID int64, actor campaigns.Actor) (*campaigns.Attachment, string, error) {
	var kb [16]byte
	if _, err := rand.Read(kb[:]); err != nil {
		return nil, "", err
	}
	key := hex.EncodeToString(kb[:])
	now := s.now()
	a := &campaigns.Attachment{OwnerType: ownerType, OwnerID: ownerID, Name: up.name, ContentType: up.contentType,
		Size: up.size, SHA256: up.sha256, StorageKey: key, CreatedBy: &actor.UserID, CreatedAt: now}
	unitID, err := campaigns.AttachmentOwner(ctx, tx, ownerType, ownerID, actor, now)
	if err != nil {
		return nil, "", err
	}
	// Checked after the owner is found, so that an object out of reach
	// stays a 404 whatever the caller's roles.
	if perm := campaigns.AttachmentPermission(ownerType); perm != "" {
		if u := identity.UserFromContext(ctx); u == nil || !can(ctx, s.opts.Enforcer, u, perm) {
			return nil, "", domain.Errorf(domain.EFORBIDDEN, "Vai trò của bạn không được sửa đối tượng này nên không được đính kèm tài liệu vào nó (%s)", perm)
		}
	}
	a.UnitID = unitID
	if err := campaigns.CreateAttachment(ctx, tx, a); err != nil {
		return nil, "", err
	}
	if err := record(ctx, tx, "attachment.create", "attachment", a.ID, unitID, nil, a); err != nil {
		return nil, "", err
	}
	if err := s.files.Put(ctx, key, io.NewSectionReader(up.file, 0, up.size)); err != nil {
		return nil, "", err
	}
	return a, key, nil
}

// attachCmd stores up as evidence of an owner (target area, plan, task or progress note).
func (s *Server) attachCmd(ctx context.Context, up *upload, ownerType string, ownerID int64) (*campaigns.Attachment, error) {
	_, actor, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	var out *campaigns.Attachment
	var stored string
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		out, stored, err = s.attachTx(ctx, tx, up, ownerType, ownerID, actor)
		return err
	})
	if err != nil {
		if stored != "" {
			s.files.Delete(context.Background(), stored)
		}
		return nil, err
	}
	return out, nil
}

// createMemberCmd adds a member to a unit's steering committee.
func (s *Server) createMemberCmd(ctx context.Context, unitID int64, in campaigns.CommitteeInput) (*campaigns.CommitteeMember, error) {
	var out *campaigns.CommitteeMember
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var err error
		if out, err = campaigns.CreateCommitteeMember(ctx, tx, unitID, in, s.now()); err != nil {
			return err
		}
		return record(ctx, tx, "committee.create", "committee_member", out.ID, out.UnitID, nil, out)
	})
	return out, err
}

// saveModelCmd creates (id 0, in unitID) or updates a self-management model.
func (s *Server) saveModelCmd(ctx context.Context, unitID, id int64, in campaigns.ModelInput) (*campaigns.Model, error) {
	var out *campaigns.Model
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		before, after, err := campaigns.SaveModel(ctx, tx, unitID, id, in, s.now())
		if err != nil {
			return err
		}
		out = after
		if before == nil {
			return record(ctx, tx, "model.create", "model", after.ID, after.UnitID, nil, after)
		}
		return record(ctx, tx, "model.update", "model", after.ID, after.UnitID, before, after)
	})
	return out, err
}
