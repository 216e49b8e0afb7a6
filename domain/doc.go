// Package domain holds the product's types, pure rules (the seven success
// criteria, the reporting calendar, report validation) and error codes. It
// imports no web framework, database, authorisation or cache library so the
// rules can be read, tested and reused without any of them.
package domain
