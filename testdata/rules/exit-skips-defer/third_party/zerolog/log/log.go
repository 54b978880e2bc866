// Package log is a small look-alike of github.com/rs/zerolog/log for fixtures.
package log

import "github.com/rs/zerolog"

var Logger zerolog.Logger

func Fatal() *zerolog.Event { return Logger.Fatal() }
func Info() *zerolog.Event  { return Logger.Info() }
