package io.berth.agent.awsvpc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * The pause container's program: a static ELF executable of a few instructions that waits for signals forever and
 * never exits by itself (as PID 1 it ignores every signal it has no handler for, so it ends only when killed).
 * x86-64 loops on {@code pause(2)}; arm64, which has no {@code pause}, loops on {@code ppoll(NULL, 0, NULL, NULL)}.
 */
enum PauseProgram {

    X86_64("amd64", 0x3E,
            // loop: mov eax, 34 (pause); syscall; jmp loop
            "b822000000" + "0f05" + "ebf7"),
    ARM64("arm64", 0xB7,
            // loop: mov x0..x3, #0; mov x8, #73 (ppoll); svc #0; b loop
            "000080d2" + "010080d2" + "020080d2" + "030080d2" + "280980d2" + "010000d4" + "faffff17");

    private static final long LOAD_ADDRESS = 0x400000L;
    private static final int ELF_HEADER_SIZE = 64;
    private static final int PROGRAM_HEADER_SIZE = 56;

    private final String dockerArchitecture;
    private final int machine;
    private final byte[] code;

    PauseProgram(String dockerArchitecture, int machine, String code) {
        this.dockerArchitecture = dockerArchitecture;
        this.machine = machine;
        this.code = HexFormat.of().parseHex(code);
    }

    /** The program for the architecture this JVM runs on ({@code os.arch}). */
    static PauseProgram forThisHost() {
        String arch = System.getProperty("os.arch");
        return arch.equals("aarch64") || arch.equals("arm64") ? ARM64 : X86_64;
    }

    /** The architecture as Docker's image configuration names it. */
    String dockerArchitecture() {
        return dockerArchitecture;
    }

    /** The executable: an ELF header, one loadable read-and-execute segment covering the file, then the code. */
    byte[] executable() {
        int size = ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE + code.length;
        ByteBuffer elf = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        elf.put(new byte[] {0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* little-endian */, 1 /* version */, 0 /* SysV */});
        elf.put(new byte[8]);
        elf.putShort((short) 2); // executable
        elf.putShort((short) machine);
        elf.putInt(1);
        elf.putLong(LOAD_ADDRESS + ELF_HEADER_SIZE + PROGRAM_HEADER_SIZE); // entry point: the code
        elf.putLong(ELF_HEADER_SIZE); // program headers right after this header
        elf.putLong(0); // no section headers
        elf.putInt(0);
        elf.putShort((short) ELF_HEADER_SIZE);
        elf.putShort((short) PROGRAM_HEADER_SIZE);
        elf.putShort((short) 1);
        elf.putShort((short) 0);
        elf.putShort((short) 0);
        elf.putShort((short) 0);
        elf.putInt(1); // PT_LOAD
        elf.putInt(5); // readable, executable
        elf.putLong(0);
        elf.putLong(LOAD_ADDRESS);
        elf.putLong(LOAD_ADDRESS);
        elf.putLong(size);
        elf.putLong(size);
        elf.putLong(0x1000);
        elf.put(code);
        return elf.array();
    }
}
