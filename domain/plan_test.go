package domain_test

import (
	"reflect"
	"testing"
	"time"

	"chuyenhoa/domain"
)

func TestTaskStatusAt(t *testing.T) {
	due := domain.Date{Year: 2024, Month: time.March, Day: 12}
	for _, tt := range []struct {
		name   string
		status string
		due    domain.Date
		today  string
		want   string
	}{
		{"not started before due", domain.TaskNotStarted, due, "2024-03-11", domain.TaskNotStarted},
		{"on the due day still on time", domain.TaskInProgress, due, "2024-03-12", domain.TaskInProgress},
		{"day after due is overdue", domain.TaskInProgress, due, "2024-03-13", domain.TaskOverdue},
		{"not started past due is overdue", domain.TaskNotStarted, due, "2024-12-31", domain.TaskOverdue},
		{"done is never overdue", domain.TaskDone, due, "2025-01-01", domain.TaskDone},
		{"no due date is never overdue", domain.TaskInProgress, domain.Date{}, "2030-01-01", domain.TaskInProgress},
		{"empty status is not started", "", domain.Date{}, "2024-01-01", domain.TaskNotStarted},
		{"empty status past due", "", due, "2024-04-01", domain.TaskOverdue},
	} {
		t.Run(tt.name, func(t *testing.T) {
			task := domain.Task{Status: tt.status, Due: tt.due}
			if got := domain.TaskStatusAt(task, MustDate(t, tt.today)); got != tt.want {
				t.Errorf("TaskStatusAt = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestPlanIsLate(t *testing.T) {
	due := domain.DefaultWardPlanDue(2024) // "trước ngày 12/3/2024"
	for _, tt := range []struct {
		at   string
		want bool
	}{
		{"2024-03-11 23:59:59", false},
		{"2024-03-12 00:00:00", true},
		{"2024-03-12 08:00:00", true},
		{"2024-04-01 08:00:00", true},
	} {
		if got := domain.PlanIsLate(hcm(t, tt.at), due); got != tt.want {
			t.Errorf("PlanIsLate(%s) = %v, want %v", tt.at, got, tt.want)
		}
	}
	// 17:30 UTC on 11/03 is already 00:30 on 12/03 in Vietnam.
	if !domain.PlanIsLate(time.Date(2024, 3, 11, 17, 30, 0, 0, time.UTC), due) {
		t.Error("lateness must be judged in Vietnam's zone")
	}
	if domain.PlanIsLate(hcm(t, "2099-01-01 00:00:00"), domain.Date{}) {
		t.Error("a plan without a due date is never late")
	}
	c := domain.NewCampaign(1, 2024)
	if !c.WardPlanLate(hcm(t, "2024-03-12 07:00:00")) || c.WardPlanLate(hcm(t, "2024-03-11 07:00:00")) {
		t.Error("Campaign.WardPlanLate disagrees with the 12/03 due date")
	}
	sub := hcm(t, "2024-03-10 09:00:00")
	p := domain.Plan{Due: due, SubmittedAt: &sub}
	if p.Late(hcm(t, "2024-05-01 00:00:00")) {
		t.Error("a plan submitted on time stays on time")
	}
	p.SubmittedAt = nil
	if !p.Late(hcm(t, "2024-03-12 00:00:00")) {
		t.Error("an unsubmitted plan is late once due")
	}
}

func validPlan() domain.Plan {
	return domain.Plan{
		Title: "Kế hoạch chuyển hóa phường Nếnh năm 2024",
		Objectives: []domain.Objective{
			{Kind: domain.ObjectiveGoal, Text: "Chuyển hóa thành công phường Nếnh"},
		},
		Tasks: []domain.Task{
			{Section: domain.SectionLeadership, Title: "Xây dựng kế hoạch"},
			{Section: domain.SectionOrganisation, Title: "Báo cáo quý I", Due: domain.Date{Year: 2024, Month: 3, Day: 12}, ResponsibleUnitIDs: []int64{5}},
		},
		Budget: []domain.BudgetLine{{Item: "Tuyên truyền", Amount: 5_000_000, FundingSource: "Ngân sách thị xã"}},
	}
}

func TestValidatePlan(t *testing.T) {
	if err := domain.ValidatePlan(validPlan(), 2024); err != nil {
		t.Fatalf("valid plan refused: %v", err)
	}
	for _, tt := range []struct {
		name   string
		edit   func(p *domain.Plan)
		fields []string
	}{
		{"empty title", func(p *domain.Plan) { p.Title = "  " }, []string{"title"}},
		{"empty task title", func(p *domain.Plan) { p.Tasks[1].Title = "" }, []string{"tasks[1].title"}},
		{"due in the year before", func(p *domain.Plan) { p.Tasks[1].Due = domain.Date{Year: 2023, Month: 12, Day: 31} }, []string{"tasks[1].due"}},
		{"due in the year after", func(p *domain.Plan) { p.Tasks[0].Due = domain.Date{Year: 2025, Month: 1, Day: 1} }, []string{"tasks[0].due"}},
		{"impossible due", func(p *domain.Plan) { p.Tasks[0].Due = domain.Date{Year: 2024, Month: 2, Day: 30} }, []string{"tasks[0].due"}},
		{"unknown section", func(p *domain.Plan) { p.Tasks[0].Section = "2.4" }, []string{"tasks[0].section"}},
		{"overdue is derived, not stored", func(p *domain.Plan) { p.Tasks[0].Status = domain.TaskOverdue }, []string{"tasks[0].status"}},
		{"bad unit id", func(p *domain.Plan) { p.Tasks[1].ResponsibleUnitIDs = []int64{5, 0} }, []string{"tasks[1].responsible_unit_ids[1]"}},
		{"duplicate member", func(p *domain.Plan) { p.Tasks[1].ResponsibleMemberIDs = []int64{3, 3} }, []string{"tasks[1].responsible_member_ids[1]"}},
		{"objective kind", func(p *domain.Plan) { p.Objectives[0].Kind = "goal" }, []string{"objectives[0].kind"}},
		{"empty objective", func(p *domain.Plan) { p.Objectives[0].Text = "" }, []string{"objectives[0].text"}},
		{"negative amount", func(p *domain.Plan) { p.Budget[0].Amount = -1 }, []string{"budget[0].amount"}},
		{"empty budget item", func(p *domain.Plan) { p.Budget[0].Item = "" }, []string{"budget[0].item"}},
		{"invalid UTF-8", func(p *domain.Plan) { p.Tasks[0].Description = "\xff" }, []string{"tasks[0].description"}},
		{"several at once", func(p *domain.Plan) {
			p.Title = ""
			p.Tasks[0].Title = ""
			p.Tasks[1].Due = domain.Date{Year: 2023, Month: 1, Day: 1}
		}, []string{"title", "tasks[0].title", "tasks[1].due"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := validPlan()
			tt.edit(&p)
			got := fieldsOf(t, domain.ValidatePlan(p, 2024))
			if len(got) != len(tt.fields) {
				t.Errorf("fields = %v, want exactly %v", got, tt.fields)
			}
			for _, f := range tt.fields {
				if got[f] == "" {
					t.Errorf("no message for %q in %v", f, got)
				}
			}
		})
	}
	if err := domain.ValidateTask(domain.Task{Section: "org"}, 2024); fieldsOf(t, err)["title"] == "" {
		t.Errorf("ValidateTask does not name title: %v", err)
	}
}

func TestValidatePlanRefs(t *testing.T) {
	p := validPlan()
	p.Tasks[0].ResponsibleUnitIDs = []int64{5, 9}
	p.Tasks[1].ResponsibleMemberIDs = []int64{1, 2}
	err := domain.ValidatePlanRefs(p, func(id int64) bool { return id == 5 }, func(id int64) bool { return id == 1 })
	got := fieldsOf(t, err)
	want := []string{"tasks[0].responsible_unit_ids[1]", "tasks[1].responsible_member_ids[1]"}
	if len(got) != len(want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
	for _, f := range want {
		if got[f] == "" {
			t.Errorf("no message for %q", f)
		}
	}
	if err := domain.ValidatePlanRefs(p, func(int64) bool { return true }, func(int64) bool { return true }); err != nil {
		t.Errorf("all known: %v", err)
	}
}

func TestValidatePlanAction(t *testing.T) {
	if fieldsOf(t, domain.ValidatePlanAction(domain.PlanActReturn, " "))["comment"] == "" {
		t.Error("returning without a comment must name comment")
	}
	if err := domain.ValidatePlanAction(domain.PlanActReturn, "Bổ sung nhiệm vụ tuần tra"); err != nil {
		t.Error(err)
	}
	if err := domain.ValidatePlanAction(domain.PlanActApprove, ""); err != nil {
		t.Error(err)
	}
}

func TestCopyPlan(t *testing.T) {
	src := validPlan()
	src.ID, src.UnitID, src.Status, src.CampaignID, src.TargetAreaID = 7, 2, domain.PlanApproved, 3, 4
	sub := time.Now()
	src.SubmittedAt = &sub
	src.ReviewComment = "Đạt"
	src.Tasks[1].ID, src.Tasks[1].Status = 99, domain.TaskDone
	src.Tasks[1].ResponsibleMemberIDs = []int64{8}
	src.Tasks[1].ProgressNotes = []domain.ProgressNote{{Text: "Đã gửi"}}

	due := domain.DefaultWardPlanDue(2024)
	p := domain.CopyPlan(src, 11, due)
	if p.ID != 0 || p.UnitID != 11 || p.Status != domain.PlanDraft || p.SubmittedAt != nil || p.ReviewComment != "" || p.Due != due {
		t.Errorf("header not reset: %+v", p)
	}
	if p.CopiedFromID == nil || *p.CopiedFromID != 7 || p.CampaignID != 3 || p.TargetAreaID != 4 {
		t.Errorf("provenance lost: %+v", p)
	}
	if !reflect.DeepEqual(p.Objectives, []domain.Objective{{Kind: domain.ObjectiveGoal, Text: src.Objectives[0].Text}}) {
		t.Errorf("objectives = %+v", p.Objectives)
	}
	task := p.Tasks[1]
	if task.ID != 0 || task.Status != domain.TaskNotStarted || task.ProgressNotes != nil || task.ResponsibleMemberIDs != nil {
		t.Errorf("task not reset: %+v", task)
	}
	if task.Title != "Báo cáo quý I" || task.Due != src.Tasks[1].Due || !reflect.DeepEqual(task.ResponsibleUnitIDs, []int64{5}) {
		t.Errorf("task content lost: %+v", task)
	}
	p.Tasks[1].ResponsibleUnitIDs[0] = 6
	if src.Tasks[1].ResponsibleUnitIDs[0] != 5 {
		t.Error("copy shares slices with the source")
	}
	if err := domain.ValidatePlan(p, 2024); err != nil {
		t.Errorf("copy invalid: %v", err)
	}
}

func TestPlanSections(t *testing.T) {
	want := map[string]string{
		"2.1": "Lãnh đạo, chỉ đạo", "2.2": "Phòng ngừa tội phạm",
		"2.3": "Đấu tranh, trấn áp tội phạm", "org": "Tổ chức thực hiện",
	}
	if got := len(domain.PlanSections()); got != len(want) {
		t.Fatalf("%d sections", got)
	}
	for code, name := range want {
		if got := domain.PlanSectionName(code); got != name {
			t.Errorf("PlanSectionName(%q) = %q, want %q", code, got, name)
		}
	}
	if domain.PlanSectionName("3") != "" {
		t.Error("unknown section has a name")
	}
	p := validPlan()
	if got := len(p.TasksBySection(domain.SectionOrganisation)); got != 1 {
		t.Errorf("TasksBySection(org) = %d tasks", got)
	}
}
