package web

// Page is what the layout needs on every page; each view's data embeds it.
type Page struct {
	Lang string
	// User is nil on the sign-in and error pages of anonymous visitors.
	User *PageUser
	CSRF string
	// Flash is a one-time message after a redirect; FlashKind is "ok" or "error".
	Flash     string
	FlashKind string
	Nav       []NavItem
	RequestID string
	CSSPath   string
	JSPath    string
	// Today is the current date in Vietnam, dd/mm/yyyy.
	Today string
}

// PageUser is the signed-in user as the layout shows it.
type PageUser struct {
	ID       int64
	Name     string
	Username string
	UnitName string
	// Roles are translated role names.
	Roles []string
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Href    string
	Label   string
	Current bool
}

// Pager describes one page of a list for the pager partial.
type Pager struct {
	Total, Limit, Offset int
	// Base is the URL with the filters, ending in "?" or "&", to which
	// "offset=N" is appended.
	Base string
}

// Prev returns the previous page's offset, or -1.
func (p Pager) Prev() int {
	if p.Offset <= 0 {
		return -1
	}
	return max(0, p.Offset-p.Limit)
}

// Next returns the next page's offset, or -1.
func (p Pager) Next() int {
	if p.Offset+p.Limit >= p.Total {
		return -1
	}
	return p.Offset + p.Limit
}

// From is the first row's 1-based number.
func (p Pager) From() int {
	if p.Total == 0 {
		return 0
	}
	return p.Offset + 1
}

// To is the last row's 1-based number.
func (p Pager) To() int { return min(p.Total, p.Offset+p.Limit) }

// Field is one form field with its value and its validation message, for
// the field partial.
type Field struct {
	// Name is the form field's name; ID its element id (Name when empty).
	Name, ID string
	Label    string
	Hint     string
	Type     string // text, password, number, select, textarea, checkbox, date
	Value    string
	Error    string
	Required bool
	// Options of a select: value → label, in order.
	Options []Option
	// Attrs adds autocomplete, inputmode, min and similar attributes.
	Autocomplete string
	Min          string
	Unit         string
	Disabled     bool
}

// Option is one choice of a select.
type Option struct {
	Value, Label string
	Selected     bool
}

// FieldID returns the element id.
func (f Field) FieldID() string {
	if f.ID != "" {
		return f.ID
	}
	return f.Name
}
