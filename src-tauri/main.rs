fn main() { leadbook_app::run() }
