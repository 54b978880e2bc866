package lib

const platform = "windows"
