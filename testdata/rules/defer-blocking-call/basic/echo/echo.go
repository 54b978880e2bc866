// Package echo is a small look-alike of github.com/labstack/echo for the fixture.
package echo

type Context interface {
	String(code int, s string) error
}
