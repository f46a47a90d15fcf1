<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <source>Match your columns</source>
        <translation>匹配你的列</translation>
    </message>
    <message>
        <source>{file} uses other column names. Tell the app which of its columns holds each feature.</source>
        <translation>{file} 使用了不同的列名。请告诉应用每个特征对应文件中的哪一列。</translation>
    </message>
    <message>
        <source>(not in this file)</source>
        <translation>（此文件中没有）</translation>
    </message>
    <message>
        <source>Price (the value to learn)</source>
        <translation>价格（要学习的值）</translation>
    </message>
</context>
<context>
    <name>CompareTab</name>
    <message>
        <source>Quick (about 3 minutes)</source>
        <translation>快速（约 3 分钟）</translation>
    </message>
    <message>
        <source>Full (up to all training digits; long)</source>
        <translation>完整（用上全部训练数字；耗时较长）</translation>
    </message>
    <message>
        <source>Boston houses</source>
        <translation>波士顿房价</translation>
    </message>
    <message>
        <source>The table the tree models and the network are compared on; the digits half is the same either way.</source>
        <translation>树模型与神经网络在哪张表上对比；数字部分两种情况下相同。</translation>
    </message>
    <message>
        <source>Run the comparison</source>
        <translation>运行对比</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Runs decision trees, forests, boosting and neural networks on the digits (pixels) and on the houses (a table), at growing training-set sizes. Finished results are kept: a re-run is instant.</source>
        <translation>在数字（像素）和房屋（表格）上，用逐步增大的训练集分别运行决策树、随机森林、梯度提升和神经网络。已完成的结果会保留：再次运行立即得到。</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>预设：</translation>
    </message>
    <message>
        <source>Table:</source>
        <translation>表：</translation>
    </message>
    <message>
        <source>Dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>Digits (pixels), measured</source>
        <translation>数字（像素）实测</translation>
    </message>
    <message>
        <source>Houses (table), measured</source>
        <translation>房屋（表格）实测</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>解读</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Training size</source>
        <translation>训练集大小</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>Training time (s)</source>
        <translation>训练时间（秒）</translation>
    </message>
    <message>
        <source>Prediction (ms/item)</source>
        <translation>预测（毫秒/条）</translation>
    </message>
    <message>
        <source>Size on disk (KB)</source>
        <translation>磁盘大小（KB）</translation>
    </message>
    <message>
        <source>Explanation</source>
        <translation>可解释性</translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation>学习曲线</translation>
    </message>
    <message>
        <source>Score vs. training time</source>
        <translation>得分与训练时间</translation>
    </message>
    <message>
        <source>Every result</source>
        <translation>全部结果</translation>
    </message>
    <message>
        <source>The table open in Tables (open one and choose its target)</source>
        <translation>数据表中打开的表（请先打开一张表并选择目标列）</translation>
    </message>
    <message>
        <source>The table open in Tables: {table}</source>
        <translation>数据表中打开的表：{table}</translation>
    </message>
    <message>
        <source>Open a table in Tables and choose its target first.</source>
        <translation>请先在数据表中打开一张表并选择目标列。</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Cancelling… finished results are kept.</source>
        <translation>正在取消……已完成的结果会保留。</translation>
    </message>
    <message>
        <source>{step} — about {eta} left</source>
        <translation>{step} —— 约剩 {eta}</translation>
    </message>
    <message>
        <source>Done in {time}: {n} results ({cached} from earlier runs).</source>
        <translation>完成，用时 {time}：共 {n} 个结果（{cached} 个来自先前的运行）。</translation>
    </message>
    <message>
        <source>The comparison is ready.</source>
        <translation>对比已完成。</translation>
    </message>
    <message>
        <source>The results shown are of the table {table}; open it in Tables to run on it again.</source>
        <translation>显示的是数据表 {table} 的结果；在“数据表”中打开它即可再次在其上运行。</translation>
    </message>
    <message>
        <source>The comparison stopped: {reason}</source>
        <translation>对比已停止：{reason}</translation>
    </message>
    <message>
        <source>Cancelled. {n} finished results are kept and will be reused.</source>
        <translation>已取消。{n} 个已完成的结果已保留，下次会直接使用。</translation>
    </message>
    <message>
        <source>Digits</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Houses</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>Your table</source>
        <translation>你的表</translation>
    </message>
    <message>
        <source>training digits (log scale)</source>
        <translation>训练数字数（对数刻度）</translation>
    </message>
    <message>
        <source>training rows (log scale)</source>
        <translation>训练行数（对数刻度）</translation>
    </message>
    <message>
        <source>accuracy on held-out digits</source>
        <translation>留出数字上的准确率</translation>
    </message>
    <message>
        <source>cross-validated MSE</source>
        <translation>交叉验证均方误差</translation>
    </message>
    <message>
        <source>Digits (pixels)</source>
        <translation>数字（像素）</translation>
    </message>
    <message>
        <source>Houses (table)</source>
        <translation>房屋（表格）</translation>
    </message>
    <message>
        <source>training time, seconds (log scale)</source>
        <translation>训练时间，秒（对数刻度）</translation>
    </message>
    <message>
        <source>cross-validated accuracy</source>
        <translation>交叉验证准确率</translation>
    </message>
    <message>
        <source>{table}, measured</source>
        <translation>{table}，实测</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>Import a CSV of houses…</source>
        <translation>导入房屋 CSV…</translation>
    </message>
    <message>
        <source>Back to the Boston data</source>
        <translation>返回波士顿数据</translation>
    </message>
    <message>
        <source>Price every house in a CSV…</source>
        <translation>为 CSV 中的每套房屋估价…</translation>
    </message>
    <message>
        <source>About the B column: </source>
        <translation>关于 B 列：</translation>
    </message>
    <message>
        <source>&lt;b&gt;Data:&lt;/b&gt; {label} — {n} houses, fingerprint {sha}</source>
        <translation>&lt;b&gt;数据：&lt;/b&gt;{label}——{n} 套房屋，指纹 {sha}</translation>
    </message>
    <message>
        <source>Rows read: {rows}; missing cells: {missing}; non-numeric cells: {bad}; rows dropped: {dropped}.</source>
        <translation>读取行数：{rows}；缺失单元格：{missing}；非数字单元格：{bad}；删除行数：{dropped}。</translation>
    </message>
</context>
<context>
    <name>DecimalSpinBox</name>
    <message>
        <source>{text} has more than one decimal mark (write numbers without thousands separators, e.g. 1234.5)</source>
        <translation>{text} 有不止一个小数点（数字请勿写千位分隔符，例如 1234.5）</translation>
    </message>
    <message>
        <source>{text} is not a number</source>
        <translation>{text} 不是数字</translation>
    </message>
    <message>
        <source>{text} has more than {n} decimals</source>
        <translation>{text} 的小数位多于 {n} 位</translation>
    </message>
    <message>
        <source>{text} is outside {low} to {high}</source>
        <translation>{text} 超出 {low} 到 {high} 的范围</translation>
    </message>
</context>
<context>
    <name>DigitTab</name>
    <message>
        <source>a loaded image has no pen path</source>
        <translation>载入的图像没有笔迹路径</translation>
    </message>
    <message>
        <source>no pen-path network is loaded</source>
        <translation>未加载笔迹路径网络</translation>
    </message>
    <message>
        <source>this drawing has no pen path</source>
        <translation>这幅图没有笔迹路径</translation>
    </message>
    <message>
        <source>The saliency map could not be computed: {reason}</source>
        <translation>无法计算显著性图：{reason}</translation>
    </message>
    <message>
        <source>The pen-path network was not fine-tuned: {reason}</source>
        <translation>笔迹路径网络未微调：{reason}</translation>
    </message>
    <message>
        <source>Pen-path network on your {n} drawings with strokes: {before} before, {after} after.</source>
        <translation>笔迹路径网络在你的 {n} 个带笔迹的数字上：微调前 {before}，微调后 {after}。</translation>
    </message>
    <message>
        <source>Loading the digit model…</source>
        <translation>正在加载数字模型…</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>My handwriting</source>
        <translation>我的手写</translation>
    </message>
    <message>
        <source>The model is not ready yet; your digit will be recognised as soon as it is.</source>
        <translation>模型尚未就绪；一旦就绪，就会识别你写的数字。</translation>
    </message>
    <message>
        <source>Recognition failed: {reason}</source>
        <translation>识别失败：{reason}</translation>
    </message>
    <message>
        <source>No digit found: the canvas is empty or holds only specks.</source>
        <translation>没有找到数字：画布是空的，或只有零星的点。</translation>
    </message>
    <message>
        <source>{digit}  ({confidence} sure)</source>
        <translation>{digit}  （把握 {confidence}）</translation>
    </message>
    <message>
        <source>Low confidence: this may not be a clear digit. Try drawing it larger, centred, in one go.</source>
        <translation>把握不大：这可能不是一个清晰的数字。试着写大一些、居中、一笔写完。</translation>
    </message>
    <message>
        <source>Saved as a {digit} in your handwriting set.</source>
        <translation>已作为 {digit} 存入你的手写集。</translation>
    </message>
    <message>
        <source>Thanks — saved as a {digit}. Fine-tune on your handwriting to teach the model.</source>
        <translation>谢谢——已保存为 {digit}。用你的手写数据微调，教会模型。</translation>
    </message>
    <message>
        <source>Could not open the image: {reason}</source>
        <translation>无法打开图片：{reason}</translation>
    </message>
    <message>
        <source>No trained model yet: training a model in the background{pct}. Recognition starts when it is done.</source>
        <translation>还没有训练好的模型：正在后台训练模型{pct}。训练完成后即开始识别。</translation>
    </message>
    <message>
        <source>shipped with the app</source>
        <translation>随应用提供</translation>
    </message>
    <message>
        <source>loaded from your saved models</source>
        <translation>从你保存的模型加载</translation>
    </message>
    <message>
        <source>trained in {duration}</source>
        <translation>训练用时 {duration}</translation>
    </message>
    <message>
        <source>Model: {line}; {origin}.</source>
        <translation>模型：{line}；{origin}。</translation>
    </message>
    <message>
        <source>Training failed: {reason}</source>
        <translation>训练失败：{reason}</translation>
    </message>
    <message>
        <source>No digit model: {reason} Choose settings and press Train.</source>
        <translation>没有数字模型：{reason} 请选择设置后点击“训练”。</translation>
    </message>
    <message>
        <source>Fine-tuning on MNIST plus your digits…</source>
        <translation>正在用 MNIST 加上你的数字进行微调…</translation>
    </message>
    <message>
        <source>Accuracy on your {n} digits: {before} before, {after} after fine-tuning.</source>
        <translation>在你的 {n} 个数字上的准确率：微调前 {before}，微调后 {after}。</translation>
    </message>
    <message>
        <source>Open a digit image</source>
        <translation>打开数字图像</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;All files (*)</source>
        <translation>图像 (*.png *.jpg *.jpeg *.bmp *.gif *.tif *.tiff *.webp);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>在这里写一个数字</translation>
    </message>
    <message>
        <source>The digit model is ready.</source>
        <translation>数字模型已就绪。</translation>
    </message>
    <message>
        <source>Training cancelled; the previous model is still in use.</source>
        <translation>训练已取消；仍在使用之前的模型。</translation>
    </message>
    <message>
        <source>Training cancelled. There is no digit model yet: press Train to make one.</source>
        <translation>训练已取消。目前还没有数字模型：点击“训练”来创建一个。</translation>
    </message>
</context>
<context>
    <name>DrawArea</name>
    <message>
        <source>Draw one digit with the left mouse button. Right-click clears.</source>
        <translation>按住鼠标左键写一个数字。右键单击清空。</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Clear the canvas (Del)</source>
        <translation>清空画布（Del）</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>Remove the last stroke (Ctrl+Z)</source>
        <translation>撤销最后一笔（Ctrl+Z）</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>打开图像…</translation>
    </message>
    <message>
        <source>Recognise a digit from an image file or a photo (you can also drop one here)</source>
        <translation>从图片文件或照片识别数字（也可以把文件拖到这里）</translation>
    </message>
    <message>
        <source>Pen width</source>
        <translation>笔画粗细</translation>
    </message>
    <message>
        <source>Pen:</source>
        <translation>笔画：</translation>
    </message>
    <message>
        <source>That&apos;s wrong…</source>
        <translation>识别错了…</translation>
    </message>
    <message>
        <source>Tell the app the right digit; the drawing is saved to your handwriting set</source>
        <translation>告诉应用正确的数字；这幅手写会保存到你的手写样本集</translation>
    </message>
    <message>
        <source>It is a {digit}</source>
        <translation>这是 {digit}</translation>
    </message>
    <message>
        <source>Use the shipped model</source>
        <translation>使用随附模型</translation>
    </message>
    <message>
        <source>Go back to the model that came with the app (your trained models stay saved)</source>
        <translation>换回应用自带的模型（你训练的模型仍会保留）</translation>
    </message>
    <message>
        <source>Undo stroke</source>
        <translation>撤销笔画</translation>
    </message>
    <message>
        <source>Clear canvas</source>
        <translation>清空画布</translation>
    </message>
</context>
<context>
    <name>Durations</name>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>{minutes} min {seconds} s</source>
        <translation>{minutes} 分 {seconds} 秒</translation>
    </message>
</context>
<context>
    <name>ExperimentsPage</name>
    <message>
        <source>Run the experiment</source>
        <translation>运行实验</translation>
    </message>
    <message>
        <source>(Measured earlier with the same settings; read from the cache.)</source>
        <translation>（此前已用相同设置测量过；结果读自缓存。）</translation>
    </message>
    <message>
        <source>Choose an experiment and press “Run the experiment”.</source>
        <translation>选择一个实验，然后点击“运行实验”。</translation>
    </message>
    <message>
        <source>Gradient reaching the first layer, as a share of the last&apos;s (log scale)</source>
        <translation>到达第一层的梯度占最后一层梯度的比例（对数刻度）</translation>
    </message>
    <message>
        <source>first / last gradient norm</source>
        <translation>第一层 / 最后一层梯度范数</translation>
    </message>
    <message>
        <source>Validation accuracy; red: the loss exploded</source>
        <translation>验证准确率；红色：损失爆炸</translation>
    </message>
    <message>
        <source>validation accuracy (%)</source>
        <translation>验证准确率（%）</translation>
    </message>
    <message>
        <source>diverged at batch {batch}</source>
        <translation>在第 {batch} 批发散</translation>
    </message>
    <message>
        <source>Training minus validation accuracy, per fix</source>
        <translation>各种修正下的训练准确率减验证准确率</translation>
    </message>
    <message>
        <source>gap (points)</source>
        <translation>差距（百分点）</translation>
    </message>
    <message>
        <source>the digit</source>
        <translation>这个数字</translation>
    </message>
    <message>
        <source>network saliency</source>
        <translation>网络显著性图</translation>
    </message>
    <message>
        <source>tree&apos;s pixel tests (green ≤ threshold)</source>
        <translation>决策树的像素判断（绿色：≤ 阈值）</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>变体</translation>
    </message>
    <message>
        <source>Training accuracy</source>
        <translation>训练准确率</translation>
    </message>
    <message>
        <source>Validation accuracy</source>
        <translation>验证准确率</translation>
    </message>
    <message>
        <source>Gap (points)</source>
        <translation>差距（百分点）</translation>
    </message>
    <message>
        <source>Gradient ratio first/last</source>
        <translation>梯度比 第一层/最后一层</translation>
    </message>
    <message>
        <source>Diverged</source>
        <translation>是否发散</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Experiment:</source>
        <translation>实验：</translation>
    </message>
    <message>
        <source>A deep sigmoid network trained with plain SGD, then the same with ReLU and with batch normalisation: how much of the last layer&apos;s gradient reaches the first?</source>
        <translation>一个用普通 SGD 训练的深层 sigmoid 网络，再换成 ReLU、再加上批归一化：最后一层的梯度有多少能传到第一层？</translation>
    </message>
    <message>
        <source>Plain SGD at a learning rate far too high, then the same with gradient clipping and with a smaller rate: does the loss explode?</source>
        <translation>普通 SGD 配上过高的学习率，再分别加上梯度裁剪、换成较小的学习率：损失会爆炸吗？</translation>
    </message>
    <message>
        <source>A large network on a few hundred digits, then each cure alone: dropout, augmentation, an L2 penalty, early stopping, ten times the data. The bars are training minus validation accuracy.</source>
        <translation>一个大网络只用几百个数字训练，再逐一单独尝试各种对策：Dropout、数据增强、L2 惩罚、提前停止、十倍数据。柱高为训练准确率减验证准确率。</translation>
    </message>
    <message>
        <source>The same held-out digit explained by the network&apos;s saliency and by a decision tree&apos;s pixel tests, side by side, with what each explanation costs.</source>
        <translation>同一个留出的数字，分别用网络的显著性图和决策树的像素判断来解释，并排显示，并给出每种解释的代价。</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>yes, at batch {batch}</source>
        <translation>是，在第 {batch} 批</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export a report</source>
        <translation>导出报告</translation>
    </message>
    <message>
        <source>Digits: the network, its training and the digits you drew</source>
        <translation>数字：网络、它的训练以及你写的数字</translation>
    </message>
    <message>
        <source>Houses: the models, their comparison and the houses you priced</source>
        <translation>房价：模型、模型比较以及你估价的房屋</translation>
    </message>
    <message>
        <source>Compare: deep learning and data mining side by side, as measured</source>
        <translation>对比：深度学习与数据挖掘的实测并列比较</translation>
    </message>
    <message>
        <source>Tables: each table you mined, its cleaning, roles and cross-validation</source>
        <translation>数据表：你挖掘的每张表、它的清洗、列的角色和交叉验证</translation>
    </message>
    <message>
        <source>Lab: the network you built, its curves, gradients and the experiments</source>
        <translation>实验室：你搭建的网络、它的曲线、梯度以及各项实验</translation>
    </message>
    <message>
        <source>PDF document</source>
        <translation>PDF 文档</translation>
    </message>
    <message>
        <source>Web page (HTML, one file)</source>
        <translation>网页（HTML，单个文件）</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Open the report</source>
        <translation>打开报告</translation>
    </message>
    <message>
        <source>Include:</source>
        <translation>包含：</translation>
    </message>
    <message>
        <source>Format:</source>
        <translation>格式：</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>DeepMine report {date}</source>
        <translation>深度挖掘报告 {date}</translation>
    </message>
    <message>
        <source>Save the report as</source>
        <translation>报告另存为</translation>
    </message>
    <message>
        <source>PDF document (*.pdf);;Web page (*.html)</source>
        <translation>PDF 文档 (*.pdf);;网页 (*.html)</translation>
    </message>
    <message>
        <source>Web page (*.html);;PDF document (*.pdf)</source>
        <translation>网页 (*.html);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>Choose at least one part to include.</source>
        <translation>请至少选择一个要包含的部分。</translation>
    </message>
    <message>
        <source>Choose a file name.</source>
        <translation>请选择文件名。</translation>
    </message>
    <message>
        <source>The file name must end in .pdf or .html.</source>
        <translation>文件名必须以 .pdf 或 .html 结尾。</translation>
    </message>
    <message>
        <source>Replace the file?</source>
        <translation>替换该文件？</translation>
    </message>
    <message>
        <source>{name} already exists. Replace it?</source>
        <translation>{name} 已存在。要替换它吗？</translation>
    </message>
    <message>
        <source>Preparing the report…</source>
        <translation>正在准备报告…</translation>
    </message>
    <message>
        <source>Saved: {path}</source>
        <translation>已保存：{path}</translation>
    </message>
    <message>
        <source>The report was not saved: {reason}</source>
        <translation>报告未保存：{reason}</translation>
    </message>
</context>
<context>
    <name>FormPage</name>
    <message>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Predict every row of a file…</source>
        <translation>预测文件中的每一行…</translation>
    </message>
    <message>
        <source>observed: {low} … {high}</source>
        <translation>表中的取值范围：{low} … {high}</translation>
    </message>
    <message>
        <source>a date, {low} … {high}</source>
        <translation>日期，范围 {low} … {high}</translation>
    </message>
    <message>
        <source>{target}: {prediction} ({model}, probability {share})</source>
        <translation>{target}：{prediction}（{model}，概率 {share}）</translation>
    </message>
    <message>
        <source>{target}: {prediction} ({model})</source>
        <translation>{target}：{prediction}（{model}）</translation>
    </message>
</context>
<context>
    <name>HeldOutView</name>
    <message>
        <source>No trained network yet: press Run.</source>
        <translation>还没有训练好的网络：请点击“运行”。</translation>
    </message>
    <message>
        <source>Try it on my drawing</source>
        <translation>在我的手写上试试</translation>
    </message>
    <message>
        <source>Use this network on the Digits canvas; &quot;Use the shipped model&quot; there goes back</source>
        <translation>在“数字”画布上使用这个网络；那里的“使用自带模型”可以切换回去</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: true digit, columns: predicted)</source>
        <translation>混淆矩阵（行：真实数字，列：预测）</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>True</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>The test runs when training ends</source>
        <translation>训练结束后进行测试</translation>
    </message>
    <message>
        <source>Held-out accuracy {val} on {n} digits (training accuracy {train}); {params} parameters, trained in {seconds} s.</source>
        <translation>在 {n} 个留出数字上的准确率 {val}（训练准确率 {train}）；{params} 个参数，训练用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>No test: the training diverged. {reason}</source>
        <translation>未测试：训练发散了。{reason}</translation>
    </message>
</context>
<context>
    <name>HouseForm</name>
    <message>
        <source>Predict price</source>
        <translation>预测价格</translation>
    </message>
    <message>
        <source>Typical house</source>
        <translation>典型房屋</translation>
    </message>
    <message>
        <source>Reset every feature to the data set&apos;s median</source>
        <translation>把每个特征重置为数据集的中位数</translation>
    </message>
    <message>
        <source>row </source>
        <translation>行 </translation>
    </message>
    <message>
        <source>A house from the data set, by row number</source>
        <translation>按行号选择数据集中的一套房屋</translation>
    </message>
    <message>
        <source>Load from data set</source>
        <translation>从数据集载入</translation>
    </message>
    <message>
        <source>Fill the form with a real house and show its true price</source>
        <translation>用一套真实房屋填写表单，并显示它的真实价格</translation>
    </message>
    <message>
        <source>The house</source>
        <translation>房屋</translation>
    </message>
    <message>
        <source>not used</source>
        <translation>未使用</translation>
    </message>
    <message>
        <source>Outside the training data: {names}. The model has never seen a house like this; treat the price with care.</source>
        <translation>超出训练数据范围：{names}。模型从未见过这样的房屋；请谨慎看待这个价格。</translation>
    </message>
    <message>
        <source>{name}: {reason}, so it was not used; the value stays {value}.</source>
        <translation>{name}：{reason}，因此未采用；数值仍为 {value}。</translation>
    </message>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
</context>
<context>
    <name>HousePlots</name>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>houses = </source>
        <translation>房屋数 = </translation>
    </message>
    <message>
        <source>price = </source>
        <translation>价格 = </translation>
    </message>
    <message>
        <source>The decision tree (top {depth} levels); this house&apos;s path is highlighted</source>
        <translation>决策树（前 {depth} 层）；高亮显示的是这套房屋的路径</translation>
    </message>
    <message>
        <source>Share of the model&apos;s decisions (importance)</source>
        <translation>在模型决策中所占的份额（重要性）</translation>
    </message>
    <message>
        <source>Which features the models rely on</source>
        <translation>模型依赖哪些特征</translation>
    </message>
    <message>
        <source>this house</source>
        <translation>这套房屋</translation>
    </message>
    <message>
        <source>Predicted price ($1000s)</source>
        <translation>预测价格（千美元）</translation>
    </message>
    <message>
        <source>What if {feature} changed, everything else the same?</source>
        <translation>如果只改变 {feature}，其余不变，会怎样？</translation>
    </message>
    <message>
        <source>training error</source>
        <translation>训练误差</translation>
    </message>
    <message>
        <source>cross-validated error</source>
        <translation>交叉验证误差</translation>
    </message>
    <message>
        <source>best: depth {depth}</source>
        <translation>最佳：深度 {depth}</translation>
    </message>
    <message>
        <source>current depth</source>
        <translation>当前深度</translation>
    </message>
    <message>
        <source>Tree depth</source>
        <translation>树的深度</translation>
    </message>
    <message>
        <source>Mean squared error</source>
        <translation>均方误差</translation>
    </message>
    <message>
        <source>Deeper trees fit the training data better — and new houses worse</source>
        <translation>树越深，越贴合训练数据——对新房屋的预测却越差</translation>
    </message>
    <message>
        <source>Actual price ($1000s)</source>
        <translation>实际价格（千美元）</translation>
    </message>
    <message>
        <source>perfect prediction</source>
        <translation>完美预测</translation>
    </message>
    <message>
        <source>Held-out houses (20%): predicted against actual</source>
        <translation>留出的房屋（20%）：预测值与实际值</translation>
    </message>
</context>
<context>
    <name>HouseTab</name>
    <message>
        <source>Why: the tree</source>
        <translation>原因：决策树</translation>
    </message>
    <message>
        <source>Feature importances</source>
        <translation>特征重要性</translation>
    </message>
    <message>
        <source>Sweep:</source>
        <translation>扫描：</translation>
    </message>
    <message>
        <source>What if…</source>
        <translation>假如…</translation>
    </message>
    <message>
        <source>Model lab</source>
        <translation>模型实验室</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Training failed: {reason}</source>
        <translation>训练失败：{reason}</translation>
    </message>
    <message>
        <source>Cannot price this house: {reason}</source>
        <translation>无法为这套房屋估价：{reason}</translation>
    </message>
    <message>
        <source>true price: {price}</source>
        <translation>真实价格：{price}</translation>
    </message>
    <message>
        <source>Why: {explanation}</source>
        <translation>原因：{explanation}</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}……</translation>
    </message>
    <message>
        <source>Training the house models…</source>
        <translation>正在训练房价模型…</translation>
    </message>
    <message>
        <source>Trained on {data}: {n} houses. Recommended model: {model}.</source>
        <translation>已在{data}上训练：{n} 套房屋。推荐模型：{model}。</translation>
    </message>
    <message>
        <source>The house models are ready.</source>
        <translation>房价模型已就绪。</translation>
    </message>
    <message>
        <source>The previous models are still in use.</source>
        <translation>仍在使用之前的模型。</translation>
    </message>
    <message>
        <source>{price} thousand dollars (± {err}, decision tree)</source>
        <translation>{price} 千美元（± {err}，决策树）</translation>
    </message>
    <message>
        <source>(recommended)</source>
        <translation>（推荐）</translation>
    </message>
    <message>
        <source>House added to the report ({n} so far).</source>
        <translation>房屋已加入报告（目前共 {n} 套）。</translation>
    </message>
    <message>
        <source>Import houses</source>
        <translation>导入房屋</translation>
    </message>
    <message>
        <source>CSV files (*.csv *.txt);;All files (*)</source>
        <translation>CSV 文件 (*.csv *.txt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>The current model stays.</source>
        <translation>当前模型保持不变。</translation>
    </message>
    <message>
        <source>The file was not used</source>
        <translation>未使用该文件</translation>
    </message>
    <message>
        <source>Houses to price</source>
        <translation>要估价的房屋</translation>
    </message>
    <message>
        <source>Save the prices as</source>
        <translation>价格另存为</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Priced {n} houses → {path}</source>
        <translation>已为 {n} 套房屋估价 → {path}</translation>
    </message>
</context>
<context>
    <name>InsideView</name>
    <message>
        <source>How to read these: a layer whose gradient line lies orders of magnitude below the others hardly learns (vanishing gradients); lines that shoot up just before the loss becomes NaN are exploding gradients; a gap that keeps growing while the validation loss rises is overfitting.</source>
        <translation>怎么看这些图：某一层的梯度线比其他层低好几个数量级，它几乎学不到东西（梯度消失）；在损失变成 NaN 之前急剧上冲的线是梯度爆炸；验证损失上升而差距不断扩大，就是过拟合。</translation>
    </message>
    <message>
        <source>Which layer&apos;s weights and activations the histograms show</source>
        <translation>直方图显示哪一层的权重和激活值</translation>
    </message>
    <message>
        <source>Dead ReLUs: —</source>
        <translation>死亡 ReLU：—</translation>
    </message>
    <message>
        <source>ReLU units that output zero for every one of 256 held-out digits: they no longer learn</source>
        <translation>对 256 个留出数字全都输出零的 ReLU 单元：它们已不再学习</translation>
    </message>
    <message>
        <source>train − validation gap: —</source>
        <translation>训练 − 验证差距：—</translation>
    </message>
    <message>
        <source>Training accuracy minus validation accuracy, in points: a wide gap is overfitting</source>
        <translation>训练准确率减验证准确率（百分点）：差距大即过拟合</translation>
    </message>
    <message>
        <source>Health of the training</source>
        <translation>训练的健康状况</translation>
    </message>
    <message>
        <source>Gradient norm per layer (log scale)</source>
        <translation>每层的梯度范数（对数刻度）</translation>
    </message>
    <message>
        <source>Batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>Press Run: each layer&apos;s gradient appears here while it trains</source>
        <translation>点击“运行”：训练时每层的梯度会显示在这里</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活值</translation>
    </message>
    <message>
        <source>after the first epoch</source>
        <translation>第一轮结束后显示</translation>
    </message>
    <message>
        <source>Layer:</source>
        <translation>层：</translation>
    </message>
    <message>
        <source>Overfitting meter (training minus validation accuracy):</source>
        <translation>过拟合指示（训练准确率减验证准确率）：</translation>
    </message>
    <message>
        <source>Dead ReLUs: no ReLU layer in this network.</source>
        <translation>死亡 ReLU：这个网络没有 ReLU 层。</translation>
    </message>
    <message>
        <source>Dead ReLUs: {share} of all ReLU units ({layers})</source>
        <translation>死亡 ReLU：占全部 ReLU 单元的 {share}（{layers}）</translation>
    </message>
    <message>
        <source>train − validation gap: {gap} points</source>
        <translation>训练 − 验证差距：{gap} 个百分点</translation>
    </message>
</context>
<context>
    <name>LabPage</name>
    <message>
        <source>How many questions the tree may ask before it answers</source>
        <translation>树在给出答案之前最多可以提几个问题</translation>
    </message>
    <message>
        <source>The fewest houses a leaf may hold: larger values give smoother trees</source>
        <translation>每个叶节点至少包含的房屋数：数值越大，树越平滑</translation>
    </message>
    <message>
        <source>Train without the B column</source>
        <translation>不使用 B 列训练</translation>
    </message>
    <message>
        <source>Retrain</source>
        <translation>重新训练</translation>
    </message>
    <message>
        <source>Tree depth:</source>
        <translation>树的深度：</translation>
    </message>
    <message>
        <source>Min. houses per leaf:</source>
        <translation>每叶最少房屋数：</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>MSE</source>
        <translation>MSE</translation>
    </message>
    <message>
        <source>MAE</source>
        <translation>MAE</translation>
    </message>
    <message>
        <source>5-fold cross-validation on {n} houses (lower MSE/MAE and higher R² are better; ★ = recommended). Tree depth {depth}, at least {leaf} houses per leaf{b}.</source>
        <translation>在 {n} 套房屋上进行 5 折交叉验证（MSE/MAE 越低、R² 越高越好；★ = 推荐）。树深度 {depth}，每个叶节点至少 {leaf} 套房屋{b}。</translation>
    </message>
    <message>
        <source>, without B</source>
        <translation>，不使用 B 列</translation>
    </message>
</context>
<context>
    <name>LabSteps</name>
    <message>
        <source>Classic MLP (the article&apos;s: 784 → 128 → 10)</source>
        <translation>经典 MLP（文章中的：784 → 128 → 10）</translation>
    </message>
    <message>
        <source>Default CNN (the Digits workspace&apos;s)</source>
        <translation>默认 CNN（“数字”工作区所用）</translation>
    </message>
    <message>
        <source>Start from a preset network; every step stays editable</source>
        <translation>从预设网络开始；每一步都仍可修改</translation>
    </message>
    <message>
        <source>How many digits the network learns from (1,000 more are held out for validation and the test)</source>
        <translation>网络用多少个数字学习（另有 1,000 个留出用于验证和测试）</translation>
    </message>
    <message>
        <source>Normalise pixels to 0–1 (off: raw 0–255)</source>
        <translation>把像素归一化到 0–1（关闭：原始 0–255）</translation>
    </message>
    <message>
        <source>Augment: small shifts and rotations</source>
        <translation>数据增强：轻微平移和旋转</translation>
    </message>
    <message>
        <source>Training digits</source>
        <translation>训练数字数</translation>
    </message>
    <message>
        <source>Cross-entropy</source>
        <translation>交叉熵</translation>
    </message>
    <message>
        <source>Mean squared error (on one-hot digits)</source>
        <translation>均方误差（基于独热编码的数字）</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Clip the gradient norm to</source>
        <translation>把梯度范数裁剪到</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Stop early after epochs without progress:</source>
        <translation>连续多少轮无进步后提前停止：</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>6 · Test: the trained network is measured on 1,000 held-out digits it never trained on (accuracy and confusion matrix, on the right).</source>
        <translation>6 · 测试：训练好的网络在 1,000 个从未训练过的留出数字上测量（准确率和混淆矩阵见右侧）。</translation>
    </message>
    <message>
        <source>SGD</source>
        <translation>SGD（随机梯度下降）</translation>
    </message>
    <message>
        <source>SGD + momentum (0.9)</source>
        <translation>SGD + 动量（0.9）</translation>
    </message>
    <message>
        <source>RMSprop</source>
        <translation>RMSprop（均方根传播）</translation>
    </message>
    <message>
        <source>Adam</source>
        <translation>Adam</translation>
    </message>
    <message>
        <source>1 · Data</source>
        <translation>1 · 数据</translation>
    </message>
    <message>
        <source>2 · Model</source>
        <translation>2 · 模型</translation>
    </message>
    <message>
        <source>3 · Loss</source>
        <translation>3 · 损失</translation>
    </message>
    <message>
        <source>4 · Optimiser</source>
        <translation>4 · 优化器</translation>
    </message>
    <message>
        <source>5 · Training</source>
        <translation>5 · 训练</translation>
    </message>
</context>
<context>
    <name>LabTab</name>
    <message>
        <source>Lab — inside a network</source>
        <translation>实验室——网络内部</translation>
    </message>
    <message>
        <source>Leave the lesson</source>
        <translation>退出课程</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Train this network on the digits (in the background)</source>
        <translation>在数字上训练这个网络（在后台进行）</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Inside the network</source>
        <translation>网络内部</translation>
    </message>
    <message>
        <source>Test results</source>
        <translation>测试结果</translation>
    </message>
    <message>
        <source>Guided experiments</source>
        <translation>引导实验</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出层</translation>
    </message>
    <message>
        <source>Starting… (the first run also loads TensorFlow in the background)</source>
        <translation>正在启动…（第一次运行还会在后台加载 TensorFlow）</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Preparing the network for the canvas…</source>
        <translation>正在为画布准备网络…</translation>
    </message>
    <message>
        <source>The lab network is on the Digits canvas: draw a digit there.</source>
        <translation>实验室网络已用于“数字”画布：请在那里写一个数字。</translation>
    </message>
    <message>
        <source>Open a lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <source>Lessons (*.json);;All files (*)</source>
        <translation>课程 (*.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <source>{step} — about {eta} left</source>
        <translation>{step} —— 约剩 {eta}</translation>
    </message>
    <message>
        <source>Trained in {seconds} s: held-out accuracy {val} (training {train}).</source>
        <translation>训练用时 {seconds} 秒：留出准确率 {val}（训练 {train}）。</translation>
    </message>
    <message>
        <source>The lab stopped: {reason}</source>
        <translation>实验室已停止：{reason}</translation>
    </message>
    <message>
        <source>{experiment}: measured in {seconds} s.</source>
        <translation>{experiment}：测量用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>The network could not be put on the canvas: {reason}</source>
        <translation>无法把网络用于画布：{reason}</translation>
    </message>
    <message>
        <source>Lesson not opened: {reason}</source>
        <translation>未打开课程：{reason}</translation>
    </message>
    <message>
        <source>Lesson opened: {title}</source>
        <translation>已打开课程：{title}</translation>
    </message>
    <message>
        <source>Cannot run: {problem}</source>
        <translation>无法运行：{problem}</translation>
    </message>
    <message>
        <source>Ready: {n} training digits, {params} parameters.</source>
        <translation>就绪：{n} 个训练数字，{params} 个参数。</translation>
    </message>
    <message>
        <source>Open &amp;lesson…</source>
        <translation>打开课程(&amp;L)…</translation>
    </message>
    <message>
        <source>Open a lab lesson: a preset network, locked controls and a teacher&apos;s instructions</source>
        <translation>打开实验室课程：预设网络、锁定的控件和老师的说明</translation>
    </message>
</context>
<context>
    <name>LayerEditor</name>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Insert a layer of this kind below the selected one</source>
        <translation>在选中的层下方插入一个此类型的层</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Units</source>
        <translation>单元数</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>卷积核数</translation>
    </message>
    <message>
        <source>Kernel size</source>
        <translation>卷积核大小</translation>
    </message>
    <message>
        <source>Pool size</source>
        <translation>池化大小</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Initial spread (σ)</source>
        <translation>初始标准差（σ）</translation>
    </message>
    <message>
        <source>Dropout rate</source>
        <translation>Dropout 比例</translation>
    </message>
    <message>
        <source>L2 penalty</source>
        <translation>L2 惩罚</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Dense (fully connected)</source>
        <translation>Dense（全连接）</translation>
    </message>
    <message>
        <source>Conv2D (convolution)</source>
        <translation>Conv2D（卷积）</translation>
    </message>
    <message>
        <source>MaxPooling2D (downsampling)</source>
        <translation>MaxPooling2D（下采样）</translation>
    </message>
    <message>
        <source>Dropout</source>
        <translation>Dropout（随机失活）</translation>
    </message>
    <message>
        <source>BatchNormalization</source>
        <translation>BatchNormalization（批归一化）</translation>
    </message>
    <message>
        <source>Flatten</source>
        <translation>Flatten（展平）</translation>
    </message>
    <message>
        <source>ReLU</source>
        <translation>ReLU（线性整流）</translation>
    </message>
    <message>
        <source>sigmoid</source>
        <translation>sigmoid（S 型函数）</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh（双曲正切）</translation>
    </message>
    <message>
        <source>Glorot uniform</source>
        <translation>Glorot 均匀分布</translation>
    </message>
    <message>
        <source>He normal</source>
        <translation>He 正态分布</translation>
    </message>
    <message>
        <source>LeCun normal</source>
        <translation>LeCun 正态分布</translation>
    </message>
    <message>
        <source>Random normal (σ below)</source>
        <translation>随机正态分布（σ 见下）</translation>
    </message>
    <message>
        <source>Parameters and multiply-adds: —</source>
        <translation>参数与乘加次数：—</translation>
    </message>
    <message>
        <source>  → {shape}, {params} parameters</source>
        <translation>  → {shape}，{params} 个参数</translation>
    </message>
    <message>
        <source>{params} parameters · {macs} multiply-adds per digit · depth {depth} (+ the output layer, Dense 10 softmax)</source>
        <translation>{params} 个参数 · 每个数字 {macs} 次乘加 · 深度 {depth}（另加输出层 Dense 10 softmax）</translation>
    </message>
    <message>
        <source>{units} units, {activation}</source>
        <translation>{units} 个单元，{activation}</translation>
    </message>
    <message>
        <source>{filters} filters {k}×{k}, {activation}</source>
        <translation>{filters} 个 {k}×{k} 卷积核，{activation}</translation>
    </message>
    <message>
        <source>{p}×{p}</source>
        <translation>{p}×{p}</translation>
    </message>
    <message>
        <source>rate {rate:g}</source>
        <translation>比例 {rate:g}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>DeepMine Workbench</source>
        <translation>深度挖掘工作台</translation>
    </message>
    <message>
        <source>Digits — deep learning</source>
        <translation>数字——深度学习</translation>
    </message>
    <message>
        <source>Houses — data mining</source>
        <translation>房价——数据挖掘</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Tables — your own data</source>
        <translation>数据表——你自己的数据</translation>
    </message>
    <message>
        <source>Compare — side by side</source>
        <translation>对比——并列比较</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open table…</source>
        <translation>打开数据表(&amp;O)…</translation>
    </message>
    <message>
        <source>Open any table (CSV, Excel, Parquet) in the Tables workspace</source>
        <translation>在数据表工作区中打开任意表格（CSV、Excel、Parquet）</translation>
    </message>
    <message>
        <source>&amp;Export report…</source>
        <translation>导出报告(&amp;E)…</translation>
    </message>
    <message>
        <source>Save what you did as a PDF or HTML report</source>
        <translation>把你的操作保存为 PDF 或 HTML 报告</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About DeepMine Workbench</source>
        <translation>关于深度挖掘工作台(&amp;A)</translation>
    </message>
    <message>
        <source>Language changed</source>
        <translation>语言已更改</translation>
    </message>
    <message>
        <source>The new language applies after a restart. Restart DeepMine Workbench now?</source>
        <translation>新语言将在重启后生效。现在重启深度挖掘工作台吗？</translation>
    </message>
    <message>
        <source>About DeepMine Workbench</source>
        <translation>关于深度挖掘工作台</translation>
    </message>
    <message>
        <source>&lt;h3&gt;DeepMine Workbench {version}&lt;/h3&gt;&lt;p&gt;Deep learning and data mining side by side: a Keras network that reads your handwriting and a scikit-learn decision tree that prices a house and explains why.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;深度挖掘工作台 {version}&lt;/h3&gt;&lt;p&gt;深度学习与数据挖掘并排展示：一个读懂你手写数字的 Keras 神经网络，和一棵为房屋估价并解释原因的 scikit-learn 决策树。&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>PredictionPage</name>
    <message>
        <source>How sure the network is about each digit</source>
        <translation>网络对每个数字的把握</translation>
    </message>
    <message>
        <source>Digit</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>Probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>Show what the network saw (28×28 input and saliency)</source>
        <translation>显示网络看到的内容（28×28 输入和显著性图）</translation>
    </message>
    <message>
        <source>Network input (28×28)</source>
        <translation>网络输入（28×28）</translation>
    </message>
    <message>
        <source>Where it looked</source>
        <translation>它关注的位置</translation>
    </message>
    <message>
        <source>How it was written (pen path)</source>
        <translation>书写方式（笔迹路径）</translation>
    </message>
    <message>
        <source>Answered by the picture network (CNN) alone: {why}.</source>
        <translation>仅由图像网络（CNN）作答：{why}。</translation>
    </message>
    <message>
        <source>Answered by both networks, combined: the picture network (CNN) read {cnn_digit} ({cnn_conf} sure), the pen-path network read {pen_digit} ({pen_conf} sure).</source>
        <translation>由两个网络共同作答：图像网络（CNN）认为是 {cnn_digit}（把握 {cnn_conf}），笔迹路径网络认为是 {pen_digit}（把握 {pen_conf}）。</translation>
    </message>
</context>
<context>
    <name>ProjectActions</name>
    <message>
        <source>&amp;New project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>Start an empty project (your models and handwriting stay)</source>
        <translation>新建一个空项目（你的模型和手写样本会保留）</translation>
    </message>
    <message>
        <source>Open &amp;project…</source>
        <translation>打开项目(&amp;P)…</translation>
    </message>
    <message>
        <source>Open a .deepmine project file</source>
        <translation>打开 .deepmine 项目文件</translation>
    </message>
    <message>
        <source>&amp;Save project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <source>Save project &amp;as…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>Save the project under a new name</source>
        <translation>以新名称保存项目</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Embed &amp;tables in project files</source>
        <translation>在项目文件中嵌入数据表(&amp;T)</translation>
    </message>
    <message>
        <source>On: a project carries a copy of every table it mined. Off: it names each table&apos;s file (smaller; the file must stay where it is)</source>
        <translation>开启：项目文件包含其挖掘过的每张数据表的副本。关闭：只记下每张表的文件路径（文件更小，但该文件必须留在原处）</translation>
    </message>
    <message>
        <source>&amp;Export model…</source>
        <translation>导出模型(&amp;E)…</translation>
    </message>
    <message>
        <source>Save the digit model as Keras, LiteRT and TensorFlow SavedModel files to use outside the app</source>
        <translation>把数字模型保存为 Keras、LiteRT 和 TensorFlow SavedModel 文件，以便在本应用之外使用</translation>
    </message>
    <message>
        <source>&amp;Digits</source>
        <translation>数字(&amp;D)</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>Restore your work?</source>
        <translation>恢复你的工作吗？</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The project has changes that are not saved. Save them first?</source>
        <translation>项目有尚未保存的更改。先保存吗？</translation>
    </message>
    <message>
        <source>Open a project</source>
        <translation>打开项目</translation>
    </message>
    <message>
        <source>DeepMine projects (*.deepmine);;All files (*)</source>
        <translation>深度挖掘项目 (*.deepmine);;所有文件 (*)</translation>
    </message>
    <message>
        <source>DeepMine projects (*.deepmine)</source>
        <translation>深度挖掘项目 (*.deepmine)</translation>
    </message>
    <message>
        <source>Project</source>
        <translation>项目</translation>
    </message>
    <message>
        <source>Export the digit model to a new folder</source>
        <translation>把数字模型导出到新文件夹</translation>
    </message>
    <message>
        <source>{project}[*] — DeepMine Workbench</source>
        <translation>{project}[*] — 深度挖掘工作台</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>正在打开 {name}…</translation>
    </message>
    <message>
        <source>Opened {name}.</source>
        <translation>已打开 {name}。</translation>
    </message>
    <message>
        <source>{workspace}: this project&apos;s part could not be shown ({reason}); the rest was opened.</source>
        <translation>{workspace}：无法显示此项目的这一部分（{reason}）；其余部分已打开。</translation>
    </message>
    <message>
        <source>Saved {name} ({size} MB).</source>
        <translation>已保存 {name}（{size} MB）。</translation>
    </message>
    <message>
        <source>DeepMine Workbench did not close properly last time. Restore the work it autosaved at {time}?</source>
        <translation>深度挖掘工作台上次没有正常关闭。要恢复它在 {time} 自动保存的工作吗？</translation>
    </message>
    <message>
        <source>There is no digit model to export yet.</source>
        <translation>还没有可导出的数字模型。</translation>
    </message>
    <message>
        <source>Exported the model to {path}: {files}.</source>
        <translation>已把模型导出到 {path}：{files}。</translation>
    </message>
    <message>
        <source>The autosave folder cannot be written: {reason}</source>
        <translation>无法写入自动保存文件夹：{reason}</translation>
    </message>
    <message>
        <source>The autosave failed: {reason}</source>
        <translation>自动保存失败：{reason}</translation>
    </message>
    <message>
        <source>This project was saved in {language}: View → Language switches the app to it.</source>
        <translation>此项目以{language}保存：可通过“视图 → 语言”将应用切换为该语言。</translation>
    </message>
    <message>
        <source>The project&apos;s language</source>
        <translation>项目的语言</translation>
    </message>
    <message>
        <source>This project was saved in {language}. Switch DeepMine Workbench to {language}? The app restarts and opens the project again.</source>
        <translation>此项目以{language}保存。要将 DeepMine Workbench 切换为{language}吗？应用将重新启动并再次打开该项目。</translation>
    </message>
</context>
<context>
    <name>SamplesPage</name>
    <message>
        <source>Delete selected</source>
        <translation>删除所选</translation>
    </message>
    <message>
        <source>Fine-tune on my handwriting</source>
        <translation>用我的手写微调</translation>
    </message>
    <message>
        <source>Retrain the current model on MNIST plus your saved digits</source>
        <translation>用 MNIST 加上你保存的数字重新训练当前模型</translation>
    </message>
    <message>
        <source>Digits you corrected with “That&apos;s wrong…” are kept here, in your own data folder. Double-click one to put it on the canvas.</source>
        <translation>你通过“识别错了…”纠正过的数字保存在这里（你自己的数据文件夹中）。双击即可放到画布上。</translation>
    </message>
</context>
<context>
    <name>TableDepthPage</name>
    <message>
        <source>How many questions the tree may ask before it answers</source>
        <translation>树在给出答案之前最多可以提几个问题</translation>
    </message>
    <message>
        <source>The fewest training rows a leaf may hold: larger values give smoother trees</source>
        <translation>一个叶子至少包含的训练行数：数值越大，树越平滑</translation>
    </message>
    <message>
        <source>Run the depth lab</source>
        <translation>运行深度实验</translation>
    </message>
    <message>
        <source>Tree depth:</source>
        <translation>树的深度：</translation>
    </message>
    <message>
        <source>Min. rows per leaf:</source>
        <translation>每个叶子最少行数：</translation>
    </message>
    <message>
        <source>Mine a table, then run the depth lab: the tree is cross-validated at each depth from 1 to 12.</source>
        <translation>先挖掘一张表，再运行深度实验：决策树会在 1 到 12 的每个深度上做交叉验证。</translation>
    </message>
    <message>
        <source>Best held-out {metric}: {best} at depth {depth} (at least {leaf} rows per leaf).</source>
        <translation>留出折上最佳{metric}：{best}，深度 {depth}（每个叶子至少 {leaf} 行）。</translation>
    </message>
    <message>
        <source>At depth {depth}: {train} on the training folds, {cv} on the held-out folds.</source>
        <translation>深度 {depth}：训练折上 {train}，留出折上 {cv}。</translation>
    </message>
</context>
<context>
    <name>TableExplainPage</name>
    <message>
        <source>What if this feature changed:</source>
        <translation>如果这个特征变化：</translation>
    </message>
</context>
<context>
    <name>TableModelExport</name>
    <message>
        <source>Export model…</source>
        <translation>导出模型…</translation>
    </message>
    <message>
        <source>Save the recommended model as skops and ONNX files, with its model card, to use outside the app</source>
        <translation>将推荐的模型保存为 skops 和 ONNX 文件（附模型卡），以便在应用之外使用</translation>
    </message>
    <message>
        <source>Export table model…</source>
        <translation>导出数据表模型…</translation>
    </message>
    <message>
        <source>Mine a table first: there is no table model to export yet.</source>
        <translation>请先挖掘一个数据表：还没有可导出的数据表模型。</translation>
    </message>
    <message>
        <source>Export the table model to a new folder</source>
        <translation>把数据表模型导出到一个新文件夹</translation>
    </message>
    <message>
        <source>Exporting the {model}…</source>
        <translation>正在导出{model}…</translation>
    </message>
    <message>
        <source>Exported the {model} to {path}: {files}.</source>
        <translation>已将{model}导出到 {path}：{files}。</translation>
    </message>
    <message>
        <source>The table model was not exported: {reason}</source>
        <translation>数据表模型未导出：{reason}</translation>
    </message>
</context>
<context>
    <name>TableModelsPage</name>
    <message>
        <source>The columns with the most mutual information, chosen inside each training fold</source>
        <translation>互信息最高的列，在每个训练折内选出</translation>
    </message>
    <message>
        <source>Cross-validate with only these</source>
        <translation>只用这些特征做交叉验证</translation>
    </message>
    <message>
        <source>Keep the top</source>
        <translation>保留前</translation>
    </message>
    <message>
        <source>features</source>
        <translation>个特征</translation>
    </message>
    <message>
        <source>{metric}: lower is better</source>
        <translation>{metric}：越低越好</translation>
    </message>
    <message>
        <source>{metric}: higher is better</source>
        <translation>{metric}：越高越好</translation>
    </message>
    <message>
        <source>± {spread} over the folds</source>
        <translation>各折之间 ± {spread}</translation>
    </message>
    <message>
        <source>better</source>
        <translation>更好</translation>
    </message>
    <message>
        <source>the same</source>
        <translation>相同</translation>
    </message>
    <message>
        <source>worse</source>
        <translation>更差</translation>
    </message>
    <message>
        <source>{model}, top {k} of {of} features ({columns}): cross-validated {metric} {after} instead of {before} ({change:+.4g}, {verdict}).</source>
        <translation>{model}，{of} 个特征中的前 {k} 个（{columns}）：交叉验证{metric}为 {after}，原为 {before}（{change:+.4g}，{verdict}）。</translation>
    </message>
</context>
<context>
    <name>TablePlots</name>
    <message>
        <source>rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>{column}: the target&apos;s distribution</source>
        <translation>{column}：目标的分布</translation>
    </message>
    <message>
        <source>{column}</source>
        <translation>{column}</translation>
    </message>
    <message>
        <source>mutual information</source>
        <translation>互信息</translation>
    </message>
    <message>
        <source>permutation importance</source>
        <translation>置换重要性</translation>
    </message>
    <message>
        <source>Which columns carry information about the target</source>
        <translation>哪些列含有关于目标的信息</translation>
    </message>
    <message>
        <source>row {n}</source>
        <translation>第 {n} 行</translation>
    </message>
    <message>
        <source>probability that {target} is {value}</source>
        <translation>{target} 为 {value} 的概率</translation>
    </message>
    <message>
        <source>predicted {target}</source>
        <translation>预测的 {target}</translation>
    </message>
    <message>
        <source>Row {n}: what if {feature} changed, everything else the same?</source>
        <translation>第 {n} 行：如果 {feature} 变化而其他不变，会怎样？</translation>
    </message>
    <message>
        <source>training folds</source>
        <translation>训练折</translation>
    </message>
    <message>
        <source>held-out folds (cross-validated)</source>
        <translation>留出折（交叉验证）</translation>
    </message>
    <message>
        <source>best: depth {depth}</source>
        <translation>最佳：深度 {depth}</translation>
    </message>
    <message>
        <source>chosen depth</source>
        <translation>所选深度</translation>
    </message>
    <message>
        <source>Tree depth</source>
        <translation>树的深度</translation>
    </message>
    <message>
        <source>Deeper trees fit their training rows better — and new rows worse</source>
        <translation>树越深，对训练行拟合得越好——对新行却越差</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测值</translation>
    </message>
    <message>
        <source>actual</source>
        <translation>实际值</translation>
    </message>
    <message>
        <source>Confusion matrix (held-out folds)</source>
        <translation>混淆矩阵（留出折）</translation>
    </message>
</context>
<context>
    <name>TablesTab</name>
    <message>
        <source>Tables (*.csv *.tsv *.txt *.xlsx *.xls *.ods *.parquet);;All files (*)</source>
        <translation>数据表 (*.csv *.tsv *.txt *.xlsx *.xls *.ods *.parquet);;所有文件 (*)</translation>
    </message>
    <message>
        <source>number</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>date</source>
        <translation>日期</translation>
    </message>
    <message>
        <source>line</source>
        <translation>行</translation>
    </message>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>distinct</source>
        <translation>不同值</translation>
    </message>
    <message>
        <source>min / top</source>
        <translation>最小值 / 最常见</translation>
    </message>
    <message>
        <source>max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <source>Open a table (Ctrl+O), drop a file here, or choose an example.</source>
        <translation>打开一张表（Ctrl+O）、把文件拖放到这里，或选择一个示例。</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Column roles</source>
        <translation>列的角色</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>解释</translation>
    </message>
    <message>
        <source>Depth lab</source>
        <translation>深度实验</translation>
    </message>
    <message>
        <source>Predict</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Open table…</source>
        <translation>打开数据表…</translation>
    </message>
    <message>
        <source>Example tables</source>
        <translation>示例数据表</translation>
    </message>
    <message>
        <source>regression</source>
        <translation>回归</translation>
    </message>
    <message>
        <source>classification</source>
        <translation>分类</translation>
    </message>
    <message>
        <source>Mine</source>
        <translation>挖掘</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Target:</source>
        <translation>目标：</translation>
    </message>
    <message>
        <source>Cross-validating the tree at each depth…</source>
        <translation>正在对每个深度的决策树做交叉验证…</translation>
    </message>
    <message>
        <source>The depth lab failed: {reason}</source>
        <translation>深度实验失败：{reason}</translation>
    </message>
    <message>
        <source>Cross-validating {model} with the top {k} features…</source>
        <translation>正在用前 {k} 个特征对{model}做交叉验证…</translation>
    </message>
    <message>
        <source>column</source>
        <translation>列</translation>
    </message>
    <message>
        <source>type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>row </source>
        <translation>行号 </translation>
    </message>
    <message>
        <source>Explain this row</source>
        <translation>解释这一行</translation>
    </message>
    <message>
        <source>Open a table</source>
        <translation>打开数据表</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>{name}: {rows} rows × {columns} columns.</source>
        <translation>{name}：{rows} 行 × {columns} 列。</translation>
    </message>
    <message>
        <source>{n} cell(s) were not taken as written (first: {label} {line}, {column}: {value!r} — {reason}).</source>
        <translation>有 {n} 个单元格未按原样读取（第一个：{label} {line}，{column}：{value!r} — {reason}）。</translation>
    </message>
    <message>
        <source>target</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>ignored</source>
        <translation>忽略</translation>
    </message>
    <message>
        <source>{reason} — {metric} {score}</source>
        <translation>{reason} — {metric} {score}</translation>
    </message>
    <message>
        <source>kept on purpose — {reason}</source>
        <translation>已按你的设置保留 — {reason}</translation>
    </message>
    <message>
        <source>Mining {name} for {target}…</source>
        <translation>正在挖掘 {name}，目标为 {target}…</translation>
    </message>
    <message>
        <source>Mining cancelled.</source>
        <translation>已取消挖掘。</translation>
    </message>
    <message>
        <source>(about {s} s left)</source>
        <translation>（约剩 {s} 秒）</translation>
    </message>
    <message>
        <source>Target leakage: {column} alone predicts {target} with {metric} {score} — {what}.</source>
        <translation>目标泄漏：仅用 {column} 一列预测 {target} 即可达到 {metric} {score}——{what}。</translation>
    </message>
    <message>
        <source>kept on purpose</source>
        <translation>已按你的设置保留</translation>
    </message>
    <message>
        <source>left out (set its role to feature to keep it)</source>
        <translation>未使用（把它的角色设为“特征”即可保留）</translation>
    </message>
    <message>
        <source>Recommended: {reason}</source>
        <translation>推荐：{reason}</translation>
    </message>
    <message>
        <source>{used} of {read} rows used; {cv} in cross-validation.</source>
        <translation>使用了 {read} 行中的 {used} 行；其中 {cv} 行用于交叉验证。</translation>
    </message>
    <message>
        <source>{column}: {n} missing, imputed</source>
        <translation>{column}：{n} 个缺失值，已填补</translation>
    </message>
    <message>
        <source>{column}: {n} outliers flagged (kept)</source>
        <translation>{column}：标记了 {n} 个离群值（已保留）</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Mined in {s} s. {leaks}</source>
        <translation>挖掘用时 {s} 秒。{leaks}</translation>
    </message>
    <message>
        <source>{n} leaking column(s) left out.</source>
        <translation>{n} 个泄漏列未使用。</translation>
    </message>
    <message>
        <source>The table is mined.</source>
        <translation>数据表挖掘完成。</translation>
    </message>
    <message>
        <source>Mining failed: {reason}</source>
        <translation>挖掘失败：{reason}</translation>
    </message>
    <message>
        <source>The file was not used</source>
        <translation>未使用该文件</translation>
    </message>
    <message>
        <source>Row {n}: {prediction} ({model}). The tree&apos;s path: {path}</source>
        <translation>第 {n} 行：{prediction}（{model}）。决策树的路径：{path}</translation>
    </message>
    <message>
        <source>outside the table&apos;s range for {names}</source>
        <translation>{names} 超出了表中的取值范围</translation>
    </message>
    <message>
        <source>Rows to predict</source>
        <translation>要预测的行</translation>
    </message>
    <message>
        <source>Save the predictions as</source>
        <translation>预测结果另存为</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Predicted {n} rows → {path}</source>
        <translation>已预测 {n} 行 → {path}</translation>
    </message>
</context>
<context>
    <name>TrainingPanel</name>
    <message>
        <source>Convolutional network (CNN, default)</source>
        <translation>卷积神经网络（CNN，默认）</translation>
    </message>
    <message>
        <source>Classic MLP (the seed model)</source>
        <translation>经典多层感知机（种子模型）</translation>
    </message>
    <message>
        <source>Augment the data</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>Show the network shifted, rotated, scaled, thicker and thinner copies of the digits while training</source>
        <translation>训练时给网络看平移、旋转、缩放以及笔画加粗、变细后的数字副本</translation>
    </message>
    <message>
        <source>Add typeset digits</source>
        <translation>加入印刷体数字</translation>
    </message>
    <message>
        <source>Also learn from digits typeset in 18 fonts: 1s with a flag and a foot, 9s with a curved tail — shapes many people write and MNIST lacks</source>
        <translation>同时学习 18 种字体排印的数字：带钩和底座的 1、尾巴弯曲的 9——很多人这样写，而 MNIST 中缺少这些写法</translation>
    </message>
    <message>
        <source>Offline sample (5,000 digits, always available)</source>
        <translation>离线样本（5,000 个数字，始终可用）</translation>
    </message>
    <message>
        <source>Full MNIST (60,000 digits; downloaded if possible)</source>
        <translation>完整 MNIST（60,000 个数字；尽可能下载）</translation>
    </message>
    <message>
        <source>MNIST file on this computer…</source>
        <translation>本机上的 MNIST 文件…</translation>
    </message>
    <message>
        <source>All digits of the chosen data</source>
        <translation>所选数据的全部数字</translation>
    </message>
    <message>
        <source>{n} digits</source>
        <translation>{n} 个数字</translation>
    </message>
    <message>
        <source>Train on a random subset: fewer digits train faster and show how much data a network needs</source>
        <translation>在随机子集上训练：数字越少训练越快，也能看出网络需要多少数据</translation>
    </message>
    <message>
        <source>How many passes over the training data</source>
        <translation>遍历训练数据的次数</translation>
    </message>
    <message>
        <source>Digits per training step</source>
        <translation>每个训练步骤使用的数字个数</translation>
    </message>
    <message>
        <source>Step size of the Adam optimiser</source>
        <translation>Adam 优化器的步长</translation>
    </message>
    <message>
        <source>Share of neurons switched off while training, against overfitting</source>
        <translation>训练时随机关闭的神经元比例，用于防止过拟合</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Epochs:</source>
        <translation>训练轮数：</translation>
    </message>
    <message>
        <source>Batch size:</source>
        <translation>批大小：</translation>
    </message>
    <message>
        <source>Learning rate:</source>
        <translation>学习率：</translation>
    </message>
    <message>
        <source>Dropout:</source>
        <translation>Dropout：</translation>
    </message>
    <message>
        <source>Training data:</source>
        <translation>训练数据：</translation>
    </message>
    <message>
        <source>Digits used:</source>
        <translation>使用的数字：</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Train a model</source>
        <translation>训练模型</translation>
    </message>
    <message>
        <source>Click a digit to load it into the canvas</source>
        <translation>单击一个数字即可载入画布</translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation>学习曲线</translation>
    </message>
    <message>
        <source>Confusion matrix</source>
        <translation>混淆矩阵</translation>
    </message>
    <message>
        <source>Test digits the model got wrong (true → predicted). Click one to try it.</source>
        <translation>模型识别错误的测试数字（真实 → 预测）。单击一个试试。</translation>
    </message>
    <message>
        <source>Mistakes</source>
        <translation>错误样本</translation>
    </message>
    <message>
        <source>Choose an MNIST file</source>
        <translation>选择 MNIST 文件</translation>
    </message>
    <message>
        <source>MNIST files (*.npz *.gz);;All files (*)</source>
        <translation>MNIST 文件 (*.npz *.gz);;所有文件 (*)</translation>
    </message>
    <message>
        <source>MNIST file: {name}</source>
        <translation>MNIST 文件：{name}</translation>
    </message>
    <message>
        <source>{progress} — {speed} digits/s, about {eta} left</source>
        <translation>{progress} —— 每秒 {speed} 个数字，约剩 {eta}</translation>
    </message>
    <message>
        <source>No evaluation available.</source>
        <translation>没有评估结果。</translation>
    </message>
    <message>
        <source>Test accuracy: {acc} on {n} digits ({source})</source>
        <translation>测试准确率：{acc}，共 {n} 个数字（{source}）</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>True</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>True {true}, predicted {pred} ({conf} sure)</source>
        <translation>真实 {true}，预测 {pred}（把握 {conf}）</translation>
    </message>
    <message>
        <source>training</source>
        <translation>训练集</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>验证集</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>{reason}; correct it before training.</source>
        <translation>{reason}；请在训练前改正。</translation>
    </message>
    <message>
        <source>Training did not start: correct the marked field(s).</source>
        <translation>训练未开始：请改正标出的字段。</translation>
    </message>
</context>
<context>
    <name>WholeSpinBox</name>
    <message>
        <source>{text} is not a whole number</source>
        <translation>{text} 不是整数</translation>
    </message>
    <message>
        <source>{text} is not a number</source>
        <translation>{text} 不是数字</translation>
    </message>
    <message>
        <source>{text} is outside {low} to {high}</source>
        <translation>{text} 超出 {low} 到 {high} 的范围</translation>
    </message>
</context>
</TS>
