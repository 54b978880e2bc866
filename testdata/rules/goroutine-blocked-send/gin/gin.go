// Package gin is a small look-alike of github.com/gin-gonic/gin's handler context for the fixtures.
package gin

import "context"

type Context struct{ ctx context.Context }

func (c *Context) Done() <-chan struct{} { return c.ctx.Done() }

func (c *Context) String(code int, s string) {}
