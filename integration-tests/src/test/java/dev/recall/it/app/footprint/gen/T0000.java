package dev.recall.it.app.footprint.gen;

/**
 * The template of the classes {@link dev.recall.it.app.footprint.ManyClassesApp} defines: its bytes with
 * the name T0000 replaced by T0001, T0002, ... (same length, so the class file stays valid). Never loaded
 * under this name. Ten small methods, all matched by the app's {@code gen.**#*(..)} rule.
 */
public final class T0000 {

    /** Body runs, summed over the ten methods; read reflectively. */
    public static int calls;

    public static int m0(int x) { calls++; return x; }
    public static int m1(int x) { calls++; return x + 1; }
    public static int m2(int x) { calls++; return x + 2; }
    public static int m3(int x) { calls++; return x + 3; }
    public static int m4(int x) { calls++; return x + 4; }
    public static int m5(int x) { calls++; return x + 5; }
    public static int m6(int x) { calls++; return x + 6; }
    public static int m7(int x) { calls++; return x + 7; }
    public static int m8(int x) { calls++; return x + 8; }
    public static String m9(int x) { calls++; return "v" + x; }
}
