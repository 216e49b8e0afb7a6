package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"chuyenhoa/domain"
	"chuyenhoa/store/campaigns"
)

func (s *Server) registerPlanRoutes(paging map[string]string) {
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/plan-sections", Permission: "plan:read", Tag: "plans",
		Summary: "The task sections of a plan (2.1, 2.2, 2.3, org) with their Vietnamese headings", Response: "PlanSectionList", Handler: s.planSections})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/plans", Permission: "plan:write", Tag: "plans",
		Summary: "The caller's unit starts its draft plan for an approved target area in its scope, with objectives, tasks and budget; a ward plan is due on the campaign's ward plan due date",
		Body:    "NewPlan", Response: "Plan", Created: true, Handler: s.createPlan})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/plans", Permission: "plan:read", Tag: "plans",
		Summary:  "List the plans the caller can read: its subtree's, and those about a target area in its scope",
		Query:    merge(paging, map[string]string{"campaign_id": "campaign id", "target_area_id": "target area id", "unit_id": "author unit id", "status": "draft, submitted, returned or approved"}),
		Response: "PlanPage", Handler: s.listPlans})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/plans/:id", Permission: "plan:read", Tag: "plans",
		Summary:  "Read a plan with objectives, tasks by section (status as of today; overdue derived), progress notes, budget, late flag and the caller's possible actions",
		Response: "Plan", Handler: s.getPlan})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/plans/:id", Permission: "plan:write", Tag: "plans",
		Summary: "The author unit changes a draft or returned plan's heading; version required", Body: "PlanUpdate", Response: "Plan", Handler: s.updatePlan})
	s.add(Route{Method: http.MethodPut, Path: "/api/v1/plans/:id/objectives", Permission: "plan:write", Tag: "plans",
		Summary: "The author unit replaces the objectives (mục tiêu, yêu cầu) of a draft or returned plan; version required", Body: "ObjectivesPut", Response: "Plan", Handler: s.putObjectives})
	s.add(Route{Method: http.MethodPut, Path: "/api/v1/plans/:id/budget", Permission: "budget:write", Tag: "plans",
		Summary: "The author unit replaces the budget estimate (VND, whole numbers ≥ 0) of a draft or returned plan; version required", Body: "BudgetPut", Response: "Plan", Handler: s.putBudget})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/plans/:id/tasks", Permission: "plan:write", Tag: "plans",
		Summary: "The author unit adds a task to a draft or returned plan; the plan's version required", Body: "NewTask", Response: "Task", Created: true, Handler: s.addTask})
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/tasks/:id", Permission: "plan:read", Tag: "plans",
		Summary: "Read a task with its progress notes", Response: "Task", Handler: s.getTask})
	s.add(Route{Method: http.MethodPatch, Path: "/api/v1/tasks/:id", Permission: "plan:write", Tag: "plans",
		Summary: "The author unit changes a task (content only while the plan is a draft or returned; status any time but under review); version required",
		Body:    "TaskUpdate", Response: "Task", Handler: s.updateTask})
	s.add(Route{Method: http.MethodDelete, Path: "/api/v1/tasks/:id", Permission: "plan:write", Tag: "plans",
		Summary: "The author unit removes a task without progress or evidence from a draft or returned plan", Query: map[string]string{"version": "the task's version (required)"},
		Response: "Task", Handler: s.deleteTask})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/tasks/:id/notes", Permission: "plan:write", Tag: "plans",
		Summary: "The author unit records progress on a task; evidence is attached to the note with owner_type progress_note",
		Body:    "ProgressNoteInput", Response: "ProgressNote", Created: true, Handler: s.addNote})
	for _, a := range []struct{ action, perm, summary string }{
		{domain.PlanActSubmit, "plan:submit", "The author unit submits a draft or returned plan to the unit above; flagged late on or after the due date"},
		{domain.PlanActReturn, "plan:review", "The unit above returns a submitted plan with its comment (required)"},
		{domain.PlanActApprove, "plan:review", "The unit above approves a submitted plan"},
	} {
		s.add(Route{Method: http.MethodPost, Path: "/api/v1/plans/:id/" + a.action, Permission: a.perm, Tag: "plans",
			Summary: a.summary, Body: "PlanAction", OptionalBody: true, Response: "Plan", Handler: s.planAction(a.action)})
	}
	s.add(Route{Method: http.MethodGet, Path: "/api/v1/plans/:id/history", Permission: "plan:read", Tag: "plans",
		Summary: "The workflow history of a plan: who, when, from and to which status, comment, late", Response: "PlanEventList", Handler: s.planHistory})
	s.add(Route{Method: http.MethodPost, Path: "/api/v1/plans/:id/copy", Permission: "plan:write", Tag: "plans",
		Summary: "Start the caller's unit's draft plan for the same target area from a plan it can read (a ward from its district's plan)",
		Body:    "PlanCopy", OptionalBody: true, Response: "Plan", Created: true, Handler: s.copyPlan})
}

func planSchemas() map[string]any {
	return map[string]any{
		"NewPlan":           campaigns.NewPlan{},
		"Plan":              campaigns.Plan{},
		"PlanPage":          Page[campaigns.PlanSummary]{},
		"PlanUpdate":        campaigns.PlanUpdate{},
		"PlanAction":        campaigns.PlanAction{},
		"PlanCopy":          PlanCopy{},
		"PlanEventList":     ItemList[campaigns.PlanEvent]{},
		"ObjectivesPut":     ObjectivesPut{},
		"BudgetPut":         BudgetPut{},
		"NewTask":           NewTask{},
		"Task":              campaigns.Task{},
		"TaskUpdate":        campaigns.TaskUpdate{},
		"ProgressNote":      domain.ProgressNote{},
		"ProgressNoteInput": campaigns.ProgressNoteInput{},
		"PlanSectionList":   ItemList[domain.PlanSection]{},
	}
}

// ObjectivesPut is the body of PUT /plans/:id/objectives.
type ObjectivesPut struct {
	Version *int                       `json:"version"`
	Items   []campaigns.ObjectiveInput `json:"items"`
}

// BudgetPut is the body of PUT /plans/:id/budget.
type BudgetPut struct {
	Version *int                        `json:"version"`
	Items   []campaigns.BudgetLineInput `json:"items"`
}

// NewTask is the body of POST /plans/:id/tasks: a task and the plan's version.
type NewTask struct {
	Version *int `json:"version"`
	campaigns.TaskInput
}

// PlanCopy is the (empty) body of POST /plans/:id/copy.
type PlanCopy struct{}

func (s *Server) planSections(c echo.Context) error {
	return c.JSON(http.StatusOK, items(domain.PlanSections()))
}

func (s *Server) now() timeT { return s.opts.Now().UTC() }

// planOut decorates a plan with what the caller may do and answers it.
func planOut(c echo.Context, status int, p *campaigns.Plan, actor campaigns.Actor) error {
	p.Decorate(actor)
	return c.JSON(status, p)
}

func (s *Server) createPlan(c echo.Context) error {
	var in campaigns.NewPlan
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.createPlanCmd(c.Request().Context(), in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) copyPlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if c.Request().ContentLength != 0 {
		var in PlanCopy
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
	}
	out, err := s.copyPlanCmd(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) listPlans(c echo.Context) error {
	limit, offset, err := paging(c)
	if err != nil {
		return err
	}
	f := campaigns.PlanFilter{Limit: limit, Offset: offset}
	if f.CampaignID, err = queryID(c, "campaign_id"); err != nil {
		return err
	}
	if f.TargetAreaID, err = queryID(c, "target_area_id"); err != nil {
		return err
	}
	if f.UnitID, err = queryID(c, "unit_id"); err != nil {
		return err
	}
	if v := c.QueryParam("status"); v != "" {
		f.Status = &v
	}
	list, n, err := campaigns.FindPlans(c.Request().Context(), s.opts.DB, f, s.now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, pageOf(list, n, limit, offset))
}

func (s *Server) getPlan(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	_, actor, err := caller(c.Request().Context())
	if err != nil {
		return err
	}
	p, err := campaigns.FindPlanByID(c.Request().Context(), s.opts.DB, id, s.now())
	if err != nil {
		return err
	}
	return planOut(c, http.StatusOK, p, actor)
}

func (s *Server) planHistory(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ev, err := campaigns.FindPlanEvents(c.Request().Context(), s.opts.DB, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, items(ev))
}

// planChange answers the plan after a change of the plan at :id.
func (s *Server) planChange(c echo.Context, change func(ctx context.Context, id int64) (*campaigns.Plan, error)) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	out, err := change(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) updatePlan(c echo.Context) error {
	var upd campaigns.PlanUpdate
	if err := decodeJSON(c, &upd); err != nil {
		return err
	}
	return s.planChange(c, func(ctx context.Context, id int64) (*campaigns.Plan, error) { return s.updatePlanCmd(ctx, id, upd) })
}

func (s *Server) putObjectives(c echo.Context) error {
	var in ObjectivesPut
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return s.planChange(c, func(ctx context.Context, id int64) (*campaigns.Plan, error) {
		return s.replaceObjectivesCmd(ctx, id, in.Version, in.Items)
	})
}

func (s *Server) putBudget(c echo.Context) error {
	var in BudgetPut
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return s.planChange(c, func(ctx context.Context, id int64) (*campaigns.Plan, error) {
		return s.replaceBudgetCmd(ctx, id, in.Version, in.Items)
	})
}

func (s *Server) planAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		var in campaigns.PlanAction
		if c.Request().ContentLength != 0 {
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
		}
		return s.planChange(c, func(ctx context.Context, id int64) (*campaigns.Plan, error) {
			return s.planActionCmd(ctx, id, action, in)
		})
	}
}

func (s *Server) addTask(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in NewTask
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, err := s.addTaskCmd(c.Request().Context(), id, in.Version, in.TaskInput)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}

func (s *Server) getTask(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	t, _, err := campaigns.FindTaskByID(c.Request().Context(), s.opts.DB, id, s.now())
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, t)
}

func (s *Server) updateTask(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var upd campaigns.TaskUpdate
	if err := decodeJSON(c, &upd); err != nil {
		return err
	}
	out, err := s.updateTaskCmd(c.Request().Context(), id, upd)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) deleteTask(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var version *int
	if v := c.QueryParam("version"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return domain.Invalid("Tham số không hợp lệ", map[string]string{"version": "phải là số nguyên"})
		}
		version = &n
	}
	out, err := s.deleteTaskCmd(c.Request().Context(), id, version)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) addNote(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in campaigns.ProgressNoteInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	out, _, err := s.addNoteCmd(c.Request().Context(), id, in, nil)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, out)
}
