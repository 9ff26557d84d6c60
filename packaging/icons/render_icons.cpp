// SPDX-License-Identifier: GPL-3.0-or-later
// Renders the application's SVG icon into the formats Windows and macOS installers want: a
// multi-size .ico for the executable and the NSIS/WiX installers, an .icns for the macOS
// bundle, or one .png of a given size. Both container formats hold PNG images, which every
// supported Windows (Vista and later) and macOS (10.7 and later) reads, so the icons are drawn
// from the SVG at build time and no bitmap is kept in the repository.
//
// Usage: cic_render_icons INPUT.svg OUTPUT.ico|OUTPUT.icns|OUTPUT.png [SIZE]

#include <QBuffer>
#include <QByteArray>
#include <QFile>
#include <QImage>
#include <QList>
#include <QPainter>
#include <QSaveFile>
#include <QString>
#include <QSvgRenderer>
#include <QtEndian>

#include <cstdio>

namespace {

QByteArray renderPng(QSvgRenderer &renderer, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    renderer.render(&painter);
    painter.end();

    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

template<typename T>
void append(QByteArray &out, T value)
{
    const auto bytes = reinterpret_cast<const char *>(&value);
    out.append(bytes, sizeof value);
}

// ICONDIR, then one ICONDIRENTRY per image, then the images. All fields little-endian; a
// width or height of 256 is written as 0.
QByteArray ico(QSvgRenderer &renderer)
{
    const QList<int> sizes = {16, 20, 24, 32, 40, 48, 64, 128, 256};
    QList<QByteArray> images;
    for (int size : sizes)
        images.append(renderPng(renderer, size));

    QByteArray out;
    append<quint16>(out, qToLittleEndian<quint16>(0));
    append<quint16>(out, qToLittleEndian<quint16>(1));
    append<quint16>(out, qToLittleEndian<quint16>(quint16(sizes.size())));

    quint32 offset = 6 + 16 * quint32(sizes.size());
    for (qsizetype i = 0; i < sizes.size(); ++i) {
        const auto edge = quint8(sizes.at(i) >= 256 ? 0 : sizes.at(i));
        append<quint8>(out, edge);
        append<quint8>(out, edge);
        append<quint8>(out, 0); // no palette
        append<quint8>(out, 0);
        append<quint16>(out, qToLittleEndian<quint16>(1)); // colour planes
        append<quint16>(out, qToLittleEndian<quint16>(32)); // bits per pixel
        append<quint32>(out, qToLittleEndian<quint32>(quint32(images.at(i).size())));
        append<quint32>(out, qToLittleEndian<quint32>(offset));
        offset += quint32(images.at(i).size());
    }

    for (const QByteArray &image : images)
        out.append(image);
    return out;
}

// 'icns' and the total length, then (type, length including this 8-byte header, PNG) per
// image; big-endian. The @2x types repeat a pixel size under the retina name Finder looks for.
QByteArray icns(QSvgRenderer &renderer)
{
    struct Entry
    {
        const char *type;
        int size;
    };
    const QList<Entry> entries = {
        {"icp4", 16},  {"icp5", 32},  {"ic11", 32},  {"icp6", 64},  {"ic12", 64},
        {"ic07", 128}, {"ic08", 256}, {"ic13", 256}, {"ic09", 512}, {"ic14", 512},
        {"ic10", 1024},
    };

    QByteArray body;
    for (const Entry &entry : entries) {
        const QByteArray png = renderPng(renderer, entry.size);
        body.append(entry.type, 4);
        append<quint32>(body, qToBigEndian<quint32>(quint32(png.size() + 8)));
        body.append(png);
    }

    QByteArray out("icns");
    append<quint32>(out, qToBigEndian<quint32>(quint32(body.size() + 8)));
    out.append(body);
    return out;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        std::fprintf(stderr, "usage: %s INPUT.svg OUTPUT.ico|OUTPUT.icns|OUTPUT.png [SIZE]\n",
                     argv[0]);
        return 2;
    }

    const QString input = QString::fromLocal8Bit(argv[1]);
    const QString output = QString::fromLocal8Bit(argv[2]);
    QSvgRenderer renderer(input);
    if (!renderer.isValid()) {
        std::fprintf(stderr, "cic_render_icons: %s is not a readable SVG file\n", argv[1]);
        return 1;
    }

    QByteArray data;
    if (output.endsWith(QLatin1String(".ico"))) {
        data = ico(renderer);
    } else if (output.endsWith(QLatin1String(".icns"))) {
        data = icns(renderer);
    } else if (output.endsWith(QLatin1String(".png"))) {
        const int size = argc == 4 ? QByteArray(argv[3]).toInt() : 256;
        if (size <= 0 || size > 4096) {
            std::fprintf(stderr, "cic_render_icons: size must be 1 to 4096 pixels\n");
            return 2;
        }
        data = renderPng(renderer, size);
    } else {
        std::fprintf(stderr, "cic_render_icons: %s: the name must end in .ico, .icns or .png\n",
                     argv[2]);
        return 2;
    }

    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        std::fprintf(stderr, "cic_render_icons: cannot write %s: %s\n", argv[2],
                     qPrintable(file.errorString()));
        return 1;
    }
    return 0;
}
