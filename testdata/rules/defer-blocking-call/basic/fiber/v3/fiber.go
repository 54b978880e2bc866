// Package fiber is a small look-alike of github.com/gofiber/fiber/v3, whose Ctx is an interface.
package fiber

type Ctx interface {
	SendString(s string) error
}
