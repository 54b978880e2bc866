package lib

const platform = "linux"
