// Package echo is a small look-alike of github.com/labstack/echo/v5, whose Context is a struct.
package echo

type Context struct{}

func (c *Context) String(code int, s string) error { return nil }
