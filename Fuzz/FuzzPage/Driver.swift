import FuzzDriver

@main
struct FuzzMain {
    static func main() { runFuzzer { data, size in fuzz(data, size) } }
}
