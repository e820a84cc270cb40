package io.github.mtasts4j.cli; public final class Main { public static void main(String[] a){} }
