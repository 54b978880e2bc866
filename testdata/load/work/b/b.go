package b

var Y = 1
