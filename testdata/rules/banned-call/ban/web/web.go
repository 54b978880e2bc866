// Package web is a small look-alike of a web framework's request context.
package web

type Context struct{}

func (c *Context) Abort()               {}
func (c *Context) JSON(code int, v any) {}
