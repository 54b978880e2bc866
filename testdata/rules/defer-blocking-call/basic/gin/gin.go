// Package gin is a small look-alike of github.com/gin-gonic/gin for the fixture.
package gin

type Context struct{ Keys map[string]any }

func (c *Context) JSON(code int, v any) {}
