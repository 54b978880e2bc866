// Package web is an in-house web framework whose handlers take a *web.Context.
package web

type Context struct{ Path string }
